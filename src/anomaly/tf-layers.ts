import type * as tf from '@tensorflow/tfjs';
import { AppError } from '../core/index.js';
import type { DenseActivation, DenseLayer } from './dense-network.js';

const ACTIVATIONS: ReadonlySet<string> = new Set<DenseActivation>(['relu', 'linear']);

/**
 * Reads the weights of a TF.js model made only of Dense layers (with relu or
 * linear activations) into plain arrays, checking that the layers chain.
 *
 * @throws AppError CS_ERR_MODEL_INCOMPATIBLE for any other layer type or activation.
 */
export function denseLayersOf(model: tf.LayersModel, where: string): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const config = layer.getConfig();
    const activation = String(config.activation ?? 'linear');
    const weights = layer.getWeights();
    if (layer.getClassName() !== 'Dense' || !ACTIVATIONS.has(activation) || weights.length !== 2) {
      throw new AppError(
        'CS_ERR_MODEL_INCOMPATIBLE',
        `${where}: layer ${layer.name} is ${layer.getClassName()} with activation ${activation}; the anomaly scorer runs Dense layers with relu or linear activations only`,
      );
    }
    const [kernel, bias] = weights as [tf.Tensor, tf.Tensor];
    const [inputs, units] = kernel.shape as [number, number];
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.units !== inputs) {
      throw new AppError(
        'CS_ERR_MODEL_INCOMPATIBLE',
        `${where}: layer ${layer.name} takes ${inputs} inputs after a layer of ${prev.units} units`,
      );
    }
    out.push({
      inputs,
      units,
      kernel: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
      activation: activation as DenseActivation,
    });
  }
  if (out.length === 0)
    throw new AppError('CS_ERR_MODEL_INCOMPATIBLE', `${where}: the model has no Dense layers`);
  return out;
}
