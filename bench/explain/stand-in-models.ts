/**
 * Stand-in models for timing explanations when no trained severity model is
 * shipped yet. Their weights are random (seeded): the attributions mean
 * nothing, but the cost of one call is that of the real families' shape.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/core/index.js';
import type { TextModel, VectorModel } from '../../src/explain/index.js';

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function softmax(z: Float64Array): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of z) m = Math.max(m, v);
  let s = 0;
  const e = Array.from(z, (v) => {
    const x = Math.exp(v - m);
    s += x;
    return x;
  });
  return e.map((x) => x / s);
}

/**
 * A fastText-like linear model: word 1-2-grams and character 3-5-grams of
 * each word, hashed into 2^18 buckets, summed weights per class, softmax.
 * The shape of the hashed n-gram family's linear variant.
 */
export function hashedTextStandIn(seed = 1): TextModel {
  const buckets = 1 << 18;
  const classes = 5;
  const rand = mulberry32(seed);
  const w = Float32Array.from({ length: buckets * classes }, () => (rand() - 0.5) * 0.2);
  return {
    predictProba(text: string): number[] {
      const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      const z = new Float64Array(classes);
      const add = (h: number) => {
        const row = (h & (buckets - 1)) * classes;
        for (let c = 0; c < classes; c++) z[c]! += w[row + c]!;
      };
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        add(fnv1a(word, 1));
        if (i > 0) add(fnv1a(`${words[i - 1]} ${word}`, 2));
        const padded = `<${word}>`;
        for (let n = 3; n <= 5; n++)
          for (let k = 0; k + n <= padded.length; k++) add(fnv1a(padded.slice(k, k + n), n));
      }
      const norm = words.length > 0 ? 1 / Math.sqrt(words.length) : 0;
      for (let c = 0; c < classes; c++) z[c]! *= norm;
      return softmax(z);
    },
  };
}

/**
 * The design's severity network on the 128-slot vector (128 → 64 relu → 32
 * relu → 5 softmax, dropout inactive at inference), seeded random weights, on
 * the TF.js wasm backend: one `predict` per `predictVectors` call.
 */
export function mlpStandIn(seed = 1): VectorModel & { dispose(): void } {
  const net = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [128],
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
      tf.layers.dense({
        units: 5,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      }),
    ],
  });
  return {
    predictVectors(vectors: readonly Float32Array[]): Float32Array[] {
      const flat = new Float32Array(vectors.length * 128);
      vectors.forEach((v, i) => {
        flat.set(v, i * 128);
      });
      const out = tf.tidy(
        () => (net.predict(tf.tensor2d(flat, [vectors.length, 128])) as tf.Tensor).dataSync() as Float32Array,
      );
      return vectors.map((_, i) => out.subarray(i * 5, i * 5 + 5));
    },
    dispose: () => net.dispose(),
  };
}
