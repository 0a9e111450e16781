/**
 * A stack of dense layers evaluated in plain JavaScript from weights read out
 * of the TF.js model. Scoring one 128-slot vector costs ~18k multiply-adds:
 * tens of microseconds here, against close to a millisecond of per-call
 * overhead for `model.predict` on one row in TF.js.
 */

/** Activations the autoencoder uses. */
export type DenseActivation = 'relu' | 'linear';

/** One dense layer: `out = act(in · kernel + bias)`, kernel row-major `[inputs][units]` as TF.js stores it. */
export interface DenseLayer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  activation: DenseActivation;
}

/** Runs `layers` on `input`; returns a fresh array of the last layer's width. */
export function forwardDense(layers: readonly DenseLayer[], input: Float32Array): Float32Array {
  let x = input;
  for (const layer of layers) {
    const y = Float32Array.from(layer.bias);
    const { inputs, units, kernel } = layer;
    for (let i = 0; i < inputs; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) y[j] = y[j]! + xi * kernel[row + j]!;
    }
    if (layer.activation === 'relu') for (let j = 0; j < units; j++) if (y[j]! < 0) y[j] = 0;
    x = y;
  }
  return x;
}
