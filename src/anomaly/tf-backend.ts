/**
 * Lazy TensorFlow.js start-up on the WebAssembly backend (`tfjs-node` does not
 * install on this platform). Imported dynamically, so importing this module,
 * or scoring with a loaded model, never pulls TF.js in: only training and
 * loading need it.
 */
type Tf = typeof import('@tensorflow/tfjs');

let ready: Promise<Tf> | undefined;

/**
 * TF.js with the wasm backend selected and ready. Safe to call many times and
 * alongside the model module's own start-up: the switch happens once per process.
 *
 * @throws Error when the wasm backend cannot start (missing `.wasm` file).
 */
export function tfWasm(): Promise<Tf> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) {
      throw new Error('TF.js could not start its wasm backend');
    }
    await tf.ready();
    return tf;
  })();
  return ready;
}
