/**
 * Lazy TensorFlow.js start-up with the WebAssembly backend (the only one that
 * installs here: `@tensorflow/tfjs-node` does not). Imported dynamically so
 * that loading a non-TF.js model never pulls TF.js in.
 */
type Tf = typeof import('@tensorflow/tfjs');

let ready: Promise<Tf> | undefined;

/** TF.js with the wasm backend selected (threads off, SIMD on when available). Started once per process. */
export function tfjs(): Promise<Tf> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  })();
  return ready;
}
