/**
 * The two layer pieces lib/nn lacks for the authors' MLPs: Xavier-normal init (gain 0.1, zero bias, as the
 * authors' `init_weights`) and LayerNorm over the last axis with torch's eps 1e-5 (tf.js layers default to 1e-3).
 */
import { Rng, assertInteger, assertPositive } from '../../core/index.js';
import { tf, addParam, denseLayer, layerNormalize, matMul, type Params } from '../../nn/index.js';

/** Dense layer with W ~ N(0, gain²·2/(in+out)), b = 0. */
export function initDenseXavier(p: Params, name: string, inDim: number, outDim: number, rng: Rng, gain = 0.1): void {
  assertInteger('inDim', inDim, 1);
  assertInteger('outDim', outDim, 1);
  assertPositive('gain', gain);
  const std = gain * Math.sqrt(2 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  addParam(p, `${name}.w`, tf.tensor2d(w, [inDim, outDim]));
  addParam(p, `${name}.b`, tf.zeros([outDim]));
}

export function initLayerNorm(p: Params, name: string, dim: number): void {
  assertInteger('dim', dim, 1);
  addParam(p, `${name}.gamma`, tf.ones([dim]));
  addParam(p, `${name}.beta`, tf.zeros([dim]));
}

/** LayerNorm over the last axis (biased variance, eps 1e-5 like torch.nn.LayerNorm); one op (lib/nn layerNormalize). */
export function layerNorm(p: Params, name: string, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  const gamma = p[`${name}.gamma`] as tf.Tensor as tf.Tensor1D;
  return layerNormalize(x, gamma, p[`${name}.beta`] as tf.Tensor as tf.Tensor1D, eps);
}

/** in → h1 → ReLU → LN → h2 → ReLU → LN → out (the authors' ToyNet shape). */
export function initMlp(p: Params, name: string, dims: readonly number[], rng: Rng, gain = 0.1): void {
  for (let i = 0; i + 1 < dims.length; i++) {
    initDenseXavier(p, `${name}.l${i}`, dims[i], dims[i + 1], rng, gain);
    if (i + 2 < dims.length) initLayerNorm(p, `${name}.n${i}`, dims[i + 1]);
  }
}

/**
 * x·w + b for a data input x (no gradient wanted for x): skips the [B, in] gradient of the first layer, a third of
 * that layer's backward cost at 784 inputs.
 */
export function inputDense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad(((xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([xx]);
    return {
      value: tf.add(matMul(xx, ww), bb),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        [tf.zerosLike(saved[0]), tf.matMul(saved[0] as tf.Tensor2D, dy, true, false), tf.sum(dy, 0)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (f as unknown as (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor2D)(x, w, b);
}

/** The MLP of initMlp; `dataInput`: x is data (no input gradient needed). */
export function mlp(p: Params, name: string, x: tf.Tensor, layers: number, dataInput = false): tf.Tensor {
  let h = x;
  for (let i = 0; i < layers; i++) {
    h = i === 0 && dataInput
      ? inputDense(h as tf.Tensor2D, p[`${name}.l0.w`] as unknown as tf.Tensor2D, p[`${name}.l0.b`] as unknown as tf.Tensor1D)
      : denseLayer(p, `${name}.l${i}`, h);
    if (i + 1 < layers) h = layerNorm(p, `${name}.n${i}`, tf.relu(h));
  }
  return h;
}
