import type { LayersModel } from '@tensorflow/tfjs';
import { AppError } from '../../core/index.js';

/** One dense layer: row-major kernel [inputs x units], bias, activation. */
export interface DenseLayer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  activation: 'relu' | 'softmax' | 'linear';
}

/**
 * Reads the dense layers of a TF.js sequential model (dropout layers are
 * identity at inference and left out), so that inference runs as plain
 * typed-array arithmetic: for a 128-64-32-5 network that is ~10k
 * multiply-adds, far below the cost of a TF.js call for a single row.
 */
export function denseStackOf(model: LayersModel): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'Dropout') continue;
    if (cls !== 'Dense') {
      throw new AppError(
        'CS_ERR_ARTEFACT_INVALID',
        `MLP layer ${layer.name} is a ${cls}; only Dense and Dropout are supported`,
      );
    }
    const [kernel, bias] = layer.getWeights();
    const activation = String(layer.getConfig().activation ?? 'linear');
    if (!kernel || !bias || (activation !== 'relu' && activation !== 'softmax' && activation !== 'linear')) {
      throw new AppError(
        'CS_ERR_ARTEFACT_INVALID',
        `MLP layer ${layer.name} has no kernel/bias or activation ${activation}`,
      );
    }
    const [inputs, units] = kernel.shape as [number, number];
    out.push({
      inputs,
      units,
      kernel: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
      activation,
    });
  }
  return out;
}

/** Runs one input vector through the dense layers; returns the last layer's output. */
export function denseForward(layers: readonly DenseLayer[], input: Float32Array): Float64Array {
  let x: Float32Array | Float64Array = input;
  for (const l of layers) {
    const y = new Float64Array(l.units);
    y.set(l.bias);
    for (let i = 0; i < l.inputs; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      const row = i * l.units;
      for (let j = 0; j < l.units; j++) y[j] = (y[j] as number) + xi * (l.kernel[row + j] as number);
    }
    if (l.activation === 'relu') {
      for (let j = 0; j < l.units; j++) if ((y[j] as number) < 0) y[j] = 0;
    } else if (l.activation === 'softmax') {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < l.units; j++) max = Math.max(max, y[j] as number);
      let sum = 0;
      for (let j = 0; j < l.units; j++) {
        y[j] = Math.exp((y[j] as number) - max);
        sum += y[j] as number;
      }
      for (let j = 0; j < l.units; j++) y[j] = (y[j] as number) / sum;
    }
    x = y;
  }
  return x as Float64Array;
}
