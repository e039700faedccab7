/**
 * Functional layers: parameters live in a flat `Params` dictionary of tf.Variables keyed by dotted names
 * ("enc.res1.conv1.w"); `init*` functions add a layer's variables under a prefix, forward functions read them.
 * Why this style: save/load is a name→tensor map (no layer graph to serialise), custom-gradient ops compose
 * freely, and the optimizer state is keyed by the same names. All tensors are NHWC.
 */
import { MAX_ELEMENTS, type Rng, assertInteger, assertObject, assertOneOf, assertPositive, assertRng,
  assertSize } from '../core/index.js';
import { tf } from './tf.js';
import { dense, groupNormalize, matMul } from './ops.js';
import { assertLayerName, assertParams, assertTensor } from './check.js';

export type Params = Record<string, tf.Variable>;

function uniformInit(shape: number[], bound: number, rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`layer shape [${shape}] has ${n} weights, more than the limit of ${MAX_ELEMENTS}`);
  }
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (2 * rng.uniform() - 1) * bound;
  return tf.tensor(v, shape);
}

/** Largest stride of a (transposed) convolution layer. */
const MAX_STRIDE = 64;

/** Adds a variable (unnamed in tfjs' global registry, so two models may use the same keys). */
export function addParam(p: Params, name: string, value: tf.Tensor): tf.Variable {
  assertParams('p', p);
  assertLayerName(name);
  assertTensor('value', value);
  if (name in p) throw new RangeError(`parameter ${JSON.stringify(name)} already exists`);
  p[name] = tf.variable(value);
  value.dispose();
  return p[name];
}

function param<R extends tf.Rank>(p: Params, name: string): tf.Variable<R> {
  assertParams('p', p);
  const v = p[name];
  if (!v) throw new RangeError(`missing parameter ${JSON.stringify(name)}`);
  return v as tf.Variable<R>;
}

/** Disposes every variable of `p` (and empties it). */
export function disposeParams(p: Params): void {
  assertParams('p', p);
  for (const k of Object.keys(p)) {
    p[k].dispose();
    delete p[k];
  }
}

/** The generator an init* function draws its weights from (every random function takes it as `rng`). */
export interface InitOptions {
  readonly rng: Rng;
}

export interface DenseInit extends InitOptions {
  readonly inDim: number;
  readonly outDim: number;
}

export interface ConvInit extends InitOptions {
  /** Kernel size k (k×k). */
  readonly k: number;
  readonly cin: number;
  readonly cout: number;
}

export interface ResBlockInit extends InitOptions {
  readonly cin: number;
  readonly cout: number;
}

export interface AttentionInit extends InitOptions {
  readonly channels: number;
}

/** The layer name and the options object with its rng, checked. */
function initOptions<T extends InitOptions>(name: string, opts: T): T {
  assertLayerName(name);
  assertObject('options', opts);
  assertRng('rng', opts.rng);
  return opts;
}

/** Fully connected layer; torch's default init U(±1/√in) for weight and bias. */
export function initDense(p: Params, name: string, opts: DenseInit): void {
  const { inDim, outDim, rng } = initOptions(name, opts);
  assertSize('inDim', inDim, 1);
  assertSize('outDim', outDim, 1);
  const bound = 1 / Math.sqrt(inDim);
  addParam(p, `${name}.w`, uniformInit([inDim, outDim], bound, rng));
  addParam(p, `${name}.b`, uniformInit([outDim], bound, rng));
}

export function denseLayer(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  return dense(x, param<tf.Rank.R2>(p, `${name}.w`), param<tf.Rank.R1>(p, `${name}.b`));
}

/** k×k convolution, filter [k, k, cin, cout]; torch's default init U(±1/√(cin·k²)). */
export function initConv2d(p: Params, name: string, opts: ConvInit): void {
  const { k, cin, cout, rng } = initOptions(name, opts);
  assertSize('k', k, 1);
  assertSize('cin', cin, 1);
  assertSize('cout', cout, 1);
  const bound = 1 / Math.sqrt(cin * k * k);
  addParam(p, `${name}.w`, uniformInit([k, k, cin, cout], bound, rng));
  addParam(p, `${name}.b`, uniformInit([cout], bound, rng));
}

/** Convolution; stride 2 with 'same' padding is the strided down-sampling conv (H, W → ⌈H/2⌉, ⌈W/2⌉). */
export function conv2dLayer(p: Params, name: string, x: tf.Tensor4D, stride = 1, pad: 'same' | 'valid' = 'same'): tf.Tensor4D {
  assertTensor('x', x, 4);
  assertInteger('stride', stride, 1, MAX_STRIDE);
  assertOneOf('pad', pad, ['same', 'valid'] as const);
  return tf.add(tf.conv2d(x, param<tf.Rank.R4>(p, `${name}.w`), stride, pad), param<tf.Rank.R1>(p, `${name}.b`));
}

/** Transposed convolution, filter [k, k, cout, cin] (tfjs' layout for conv2dTranspose). */
export function initConvTranspose2d(p: Params, name: string, opts: ConvInit): void {
  const { k, cin, cout, rng } = initOptions(name, opts);
  assertSize('k', k, 1);
  assertSize('cin', cin, 1);
  assertSize('cout', cout, 1);
  const bound = 1 / Math.sqrt(cout * k * k); // torch uses fan_in of the weight's dim 1 (= cout here)
  addParam(p, `${name}.w`, uniformInit([k, k, cout, cin], bound, rng));
  addParam(p, `${name}.b`, uniformInit([cout], bound, rng));
}

/** Strided up-sampling: H, W → stride·H, stride·W ('same' padding; k = 2·stride avoids checkerboards). */
export function convTranspose2dLayer(p: Params, name: string, x: tf.Tensor4D, stride = 2): tf.Tensor4D {
  assertTensor('x', x, 4);
  assertInteger('stride', stride, 1, MAX_STRIDE);
  const w = param<tf.Rank.R4>(p, `${name}.w`);
  const [n, h, wd] = x.shape;
  const out: [number, number, number, number] = [n, h * stride, wd * stride, w.shape[2]];
  return tf.add(tf.conv2dTranspose(x, w, out, stride, 'same'), param<tf.Rank.R1>(p, `${name}.b`));
}

/**
 * Nearest-neighbour ×2 up-sampling by broadcasting (x[n,h,1,w,1,c] · 1[1,1,2,1,2,1]). Not tf.image.resizeNearestNeighbor:
 * its gradient on the tfjs 4.22 cpu backend is wrong for batch > 1 (checked against finite differences).
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  assertTensor('x', x, 4);
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]));
}

/** Nearest-neighbour ×2 up-sampling followed by a 3×3 conv (the init is initConv2d). */
export function upsampleConvLayer(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  assertTensor('x', x, 4);
  return conv2dLayer(p, name, upsampleNearest2x(x));
}

/** GroupNorm affine parameters: γ = 1, β = 0 per channel. */
export function initGroupNorm(p: Params, name: string, channels: number): void {
  assertLayerName(name);
  assertSize('channels', channels, 1);
  addParam(p, `${name}.gamma`, tf.ones([channels]));
  addParam(p, `${name}.beta`, tf.zeros([channels]));
}

/**
 * GroupNorm (Wu & He 2018; tfjs has none): normalise each sample over (H, W, channels of its group) with the
 * biased variance, then per-channel γ, β. eps 1e-5 as torch. One custom op (lib/nn groupNormalize).
 */
export function groupNorm(p: Params, name: string, x: tf.Tensor4D, groups: number, eps = 1e-5): tf.Tensor4D {
  assertTensor('x', x, 4);
  assertPositive('eps', eps);
  assertInteger('groups', groups, 1);
  return groupNormalize(x, param(p, `${name}.gamma`), param(p, `${name}.beta`), { groups, eps });
}

/** Swish(GroupNorm(x)) as one op (the pre-activation of ResBlocks and output heads). */
export function groupNormSwish(p: Params, name: string, x: tf.Tensor4D, groups: number, eps = 1e-5): tf.Tensor4D {
  assertTensor('x', x, 4);
  assertPositive('eps', eps);
  assertInteger('groups', groups, 1);
  return groupNormalize(x, param(p, `${name}.gamma`), param(p, `${name}.beta`), { groups, eps, swish: true });
}

/** Residual block (DDPM/VQGAN style): GN → Swish → conv3 → GN → Swish → conv3, plus a 1×1 skip if cin ≠ cout. */
export function initResBlock(p: Params, name: string, opts: ResBlockInit): void {
  const { cin, cout, rng } = initOptions(name, opts);
  assertSize('cin', cin, 1);
  assertSize('cout', cout, 1);
  initGroupNorm(p, `${name}.gn1`, cin);
  initConv2d(p, `${name}.conv1`, { k: 3, cin, cout, rng });
  initGroupNorm(p, `${name}.gn2`, cout);
  initConv2d(p, `${name}.conv2`, { k: 3, cin: cout, cout, rng });
  if (cin !== cout) initConv2d(p, `${name}.skip`, { k: 1, cin, cout, rng });
}

export function resBlock(p: Params, name: string, x: tf.Tensor4D, groups: number): tf.Tensor4D {
  assertTensor('x', x, 4);
  return tf.tidy(() => {
    let h = conv2dLayer(p, `${name}.conv1`, groupNormSwish(p, `${name}.gn1`, x, groups));
    h = conv2dLayer(p, `${name}.conv2`, groupNormSwish(p, `${name}.gn2`, h, groups));
    const skip = `${name}.skip.w` in p ? conv2dLayer(p, `${name}.skip`, x) : x;
    return tf.add(skip, h);
  });
}

/** Single-head self-attention over the H·W positions: GN, q/k/v/out projections (C → C), residual. */
export function initAttention(p: Params, name: string, opts: AttentionInit): void {
  const { channels, rng } = initOptions(name, opts);
  assertSize('channels', channels, 1);
  initGroupNorm(p, `${name}.gn`, channels);
  for (const t of ['q', 'k', 'v', 'proj']) initDense(p, `${name}.${t}`, { inDim: channels, outDim: channels, rng });
}

export function attentionBlock(p: Params, name: string, x: tf.Tensor4D, groups: number): tf.Tensor4D {
  assertTensor('x', x, 4);
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const hn = tf.reshape(groupNorm(p, `${name}.gn`, x, groups), [n, h * w, c]);
    const q = denseLayer(p, `${name}.q`, hn) as tf.Tensor3D;
    const k = denseLayer(p, `${name}.k`, hn) as tf.Tensor3D;
    const v = denseLayer(p, `${name}.v`, hn) as tf.Tensor3D;
    const kt = tf.transpose(k, [0, 2, 1]);
    const att = tf.softmax(tf.mul(matMul(q, kt), 1 / Math.sqrt(c))) as tf.Tensor3D; // [n, hw, hw]
    const out = denseLayer(p, `${name}.proj`, matMul(att, v));
    return tf.add(x, tf.reshape(out, [n, h, w, c]));
  });
}
