/**
 * Differentiable building-block ops with hand-written gradients where tfjs' own would be slow on wasm
 * (matmuls with transposed operands) or would fail (int32 indices on the tape).
 */
import { MAX_ELEMENTS, type Rng, assertFiniteNumber, assertObject, assertPositive, assertRng,
  assertSize, describe, isNumericArray } from '../core/index.js';
import { tf } from './tf.js';
import {
  NORM_BACKWARD, NORM_FORWARD, normKernelsUsable, registerWasmNormKernels, type NormAttrs,
} from './kernels/wasm-norm.js';
import type { WasmBackendLike } from './kernels/wasm-backend.js';
import { assertTensor } from './check.js';

type GradFn = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** tf.customGrad with typed inputs: fn(inputs, save) → { value, gradFunc }. */
function customOp(fn: (x: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFn }): (...xs: tf.Tensor[]) => tf.Tensor {
  const f = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) =>
    fn(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc)) as Parameters<typeof tf.customGrad>[0]);
  return (...xs: tf.Tensor[]) => f(...xs);
}

/**
 * a·b (rank 2, or rank 3 batched) whose gradients are products with transpose flags, dy·bᵀ and aᵀ·dy, which the
 * wasm BatchMatMul kernel (lib/nn/kernels/wasm-matmul.ts) runs on XNNPACK: 1.2–1.3× faster per forward + backward
 * than transposing explicitly first (E2EC dense shapes, measured interleaved; the gradients came out bit-identical).
 */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  assertTensor('a', a);
  assertTensor('b', b);
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3)) {
    throw new RangeError(`matMul: a and b must both be rank 2 or both rank 3, got ranks ${a.rank} and ${b.rank}`);
  }
  const f = customOp(([x, y], save) => {
    save([x, y]);
    return {
      value: tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.matMul(dy as tf.Tensor2D, saved[1] as tf.Tensor2D, false, true),
        tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D, true, false),
      ],
    };
  });
  return f(a, b) as T;
}

/**
 * Gram matrices G_b = f_bᵀ·f_b of f [B, n, c] → [B, c, c]. Forward as matMul(fᵀ, f); backward ONE batched matmul,
 * ∂L/∂f = f·(dG + dGᵀ), where the matMul composition needs two and two transposes (tfjs wasm's batched matmul is its
 * slow loop path: the backward was 3/4 of the Gram loss's time). Values: the same forward; gradients equal up to
 * float rounding (f·(a + b) against f·a + f·b).
 */
export function gramMatrix(f: tf.Tensor3D): tf.Tensor3D {
  assertTensor('f', f);
  if (f.rank !== 3) throw new RangeError(`gramMatrix: f must be [B, n, c], got shape [${f.shape}]`);
  const op = customOp(([x], save) => {
    save([x]);
    return {
      value: tf.matMul(tf.transpose(x, [0, 2, 1]) as tf.Tensor3D, x as tf.Tensor3D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.matMul(saved[0] as tf.Tensor3D, tf.add(dy, tf.transpose(dy, [0, 2, 1])) as tf.Tensor3D),
    };
  });
  return op(f) as tf.Tensor3D;
}

/**
 * Each row of t [r, n] repeated k times in place: rows i·k … i·k + k − 1 of the [r·k, n] result copy row i. Forward
 * one broadcast multiply by ones (exact copies; wasm's Tile kernel is ~15× slower), backward one sum over the k
 * copies; a 0/1 repeat matrix times t costs two r·k × r × n matmuls instead.
 */
export function repeatEachRow(t: tf.Tensor2D, k: number): tf.Tensor2D {
  assertTensor('t', t);
  if (typeof k !== 'number' || (Number.isInteger(k) && t.rank === 2 && k * t.size > MAX_ELEMENTS)) {
    throw new RangeError(
      `repeatEachRow: k must be an integer with k × t.size at most ${MAX_ELEMENTS}, got ${String(k)}`,
    );
  }
  if (t.rank !== 2) throw new RangeError(`repeatEachRow: t must be rank 2, got shape [${t.shape}]`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`repeatEachRow: k must be an integer >= 1, got ${k}`);
  if (k === 1) return tf.clone(t);
  const [r, n] = t.shape;
  const f = customOp(([x]) => ({
    value: tf.reshape(tf.mul(tf.reshape(x, [r, 1, n]), tf.ones([1, k, 1])), [r * k, n]),
    gradFunc: (dy: tf.Tensor) => tf.sum(tf.reshape(dy, [r, k, n]), 1),
  }));
  return f(t) as tf.Tensor2D;
}

/** x·w + b for x [..., in], w [in, out], b [out]; fast on wasm (see matMul). */
export function dense(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  assertTensor('x', x);
  assertTensor('w', w, 2);
  if (b !== undefined) assertTensor('b', b, 1);
  const inDim = w.shape[0];
  if (x.shape[x.rank - 1] !== inDim) {
    throw new RangeError(`dense: x's last dimension must be ${inDim} (w.shape[0]), got shape [${x.shape}]`);
  }
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
  let y: tf.Tensor = matMul(x2, w);
  if (b) y = tf.add(y, b);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w.shape[1]]);
}

/**
 * Swish / SiLU: x·σ(x), one custom op: forward 2 kernels (as the composition, same values), backward
 * dy·σ·(1 + x·(1 − σ)) in 5 (the composition's autograd takes ~13; gradients equal up to float rounding).
 */
export function swish<T extends tf.Tensor>(x: T): T {
  assertTensor('x', x);
  const f = customOp(([a], save) => {
    const s = tf.sigmoid(a);
    save([a, s]);
    return { value: tf.mul(a, s), gradFunc: (dy: tf.Tensor, [a0, s0]: tf.Tensor[]) => swishBackward(dy, a0, s0) };
  });
  return f(x) as T;
}

/** dy · d(x·σ(x))/dx = dy · σ · (1 + x·(1 − σ)). */
function swishBackward(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.mul(s, tf.add(tf.mul(x, tf.sub(1, s)), 1)));
}

export interface GroupNormOptions {
  /** Number of channel groups (divides the channel count). */
  readonly groups: number;
  /** Added to the variance (torch: 1e-5). */
  readonly eps?: number;
  /** Apply Swish to the output inside the same op (GN → Swish, as in ResBlocks). */
  readonly swish?: boolean;
}

/**
 * GroupNorm (Wu & He 2018) of x [n, h, w, c] with per-channel γ, β [c], optionally followed by Swish, as ONE custom
 * op (see normalizeAffine): 13 kernels (18 with Swish) where autograd of the composition runs ~80 (~94); on wasm
 * with c a multiple of 4, 2 kernels (7 with Swish), 1.9–2.2× faster than the 13 (18) at VSCC's shapes.
 */
export function groupNormalize(
  x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, opts: GroupNormOptions,
): tf.Tensor4D {
  assertTensor('x', x);
  assertTensor('gamma', gamma, 1);
  assertTensor('beta', beta, 1);
  assertObject('options', opts);
  const { groups, eps = 1e-5, swish: withSwish = false } = opts;
  assertPositive('eps', eps);
  if (typeof withSwish !== 'boolean') throw new TypeError(`swish must be true or false, got ${String(withSwish)}`);
  if (x.rank !== 4) throw new RangeError(`groupNormalize: x must be [n, h, w, c], got shape [${x.shape}]`);
  const [n, h, w, c] = x.shape;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new RangeError(`groups must be a positive integer dividing the channel count ${c}, got ${groups}`);
  }
  return normalizeAffine(x, gamma, beta, [n, h, w, groups, c / groups], [1, 2, 4], eps, withSwish,
    { n, p: h * w, groups }) as tf.Tensor4D;
}

/** LayerNorm over the last axis of x (biased variance, torch's eps 1e-5), γ, β [c]; one op (see normalizeAffine). */
export function layerNormalize<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): T {
  assertTensor('x', x);
  assertTensor('gamma', gamma, 1);
  assertTensor('beta', beta, 1);
  assertPositive('eps', eps);
  if (x.rank < 1) throw new RangeError('layerNormalize: x must have rank >= 1');
  const c = x.shape[x.rank - 1];
  const dims = { n: c === 0 ? 0 : x.size / c, p: 1, groups: 1 };
  return normalizeAffine(x, gamma, beta, x.shape, [x.rank - 1], eps, false, dims) as T;
}

/**
 * y = (x − μ)/√(σ² + ε)·γ + β [→ Swish], the statistics over `axes` of x viewed as `statsShape` (= x as [n, p, c]
 * with `groups` channel groups: `dims`), γ and β over x's last axis. On wasm (GroupNorm): normalizeAffineWasm.
 * Otherwise forward: the same ops as tf.moments + normalise + affine (same values). Backward written out, x̂ the
 * normalised input, s = √(σ² + ε), means over the statistics' axes:
 *   ∂L/∂β = Σ dy,  ∂L/∂γ = Σ dy·x̂,  ∂L/∂x = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / s  with dx̂ = dy·γ.
 */
function normalizeAffine(
  x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D,
  statsShape: number[], axes: number[], eps: number, withSwish: boolean,
  dims: { n: number; p: number; groups: number },
): tf.Tensor {
  const shape = x.shape.slice();
  const c = shape[shape.length - 1];
  if (gamma.rank !== 1 || gamma.shape[0] !== c || beta.rank !== 1 || beta.shape[0] !== c) {
    throw new RangeError(`gamma and beta must be [${c}], got [${gamma.shape}] and [${beta.shape}]`);
  }
  assertPositive('eps', eps);
  // LayerNorm rows (p = 1) stay on the composition: per-sample call overhead made the kernels 0.9–1.3× there.
  if (tf.getBackend() === 'wasm' && x.dtype === 'float32' && x.size > 0 && dims.p > 1
    && normKernelsUsable(tf.backend() as unknown as WasmBackendLike, c)) {
    return normalizeAffineWasm(x, gamma, beta, { ...dims, c, eps }, withSwish);
  }
  const outer = shape.map((_, i) => i).slice(0, -1); // every axis but the channel axis: γ, β gradients
  const f = customOp(([xx, g, b], save) => {
    const xs = tf.reshape(xx, statsShape);
    const mean = tf.mean(xs, axes, true);
    const centred = tf.sub(xs, mean);
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), axes, true), eps));
    const xn = tf.div(centred, std);
    const y = tf.add(tf.mul(tf.reshape(xn, shape), g), b);
    const s = withSwish ? tf.sigmoid(y) : null;
    save(s ? [xn, std, g, y, s] : [xn, std, g]);
    return {
      value: s ? tf.mul(y, s) : y,
      gradFunc: (dOut: tf.Tensor, saved: tf.Tensor[]) => {
        const [xn0, std0, g0] = saved;
        const dy = withSwish ? swishBackward(dOut, saved[3], saved[4]) : dOut;
        const dBeta = tf.sum(dy, outer);
        const dGamma = tf.sum(tf.mul(dy, tf.reshape(xn0, shape)), outer);
        const dxn = tf.reshape(tf.mul(dy, g0), statsShape);
        const m1 = tf.mean(dxn, axes, true);
        const m2 = tf.mean(tf.mul(dxn, xn0), axes, true);
        const dx = tf.div(tf.sub(tf.sub(dxn, m1), tf.mul(xn0, m2)), std0);
        return [tf.reshape(dx, shape), dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta);
}

/**
 * normalizeAffine on the wasm backend: the two SIMD kernels of lib/nn/kernels/wasm-norm.ts for the normalisation and
 * affine (one pass set each way over the heap, no broadcasting kernels); Swish by tf's same-shape kernels (XNNPACK's
 * sigmoid). Same math and per-element operation order; the statistics' sums in another order (float rounding).
 */
function normalizeAffineWasm(
  x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, attrs: NormAttrs, withSwish: boolean,
): tf.Tensor {
  registerWasmNormKernels();
  const kernelAttrs = attrs as unknown as tf.NamedAttrMap;
  const f = customOp(([xx, g, b], save) => {
    const [y, mean, std] = tf.engine().runKernel(NORM_FORWARD, { x: xx, gamma: g, beta: b },
      kernelAttrs) as tf.Tensor[];
    const s = withSwish ? tf.sigmoid(y) : null;
    save(s ? [xx, g, mean, std, y, s] : [xx, g, mean, std]);
    return {
      value: s ? tf.mul(y, s) : y,
      gradFunc: (dOut: tf.Tensor, saved: tf.Tensor[]) => {
        const [x0, g0, m0, s0] = saved;
        const dy = withSwish ? swishBackward(dOut, saved[4], saved[5]) : dOut;
        return tf.engine().runKernel(NORM_BACKWARD, { dy, x: x0, gamma: g0, mean: m0, std: s0 },
          kernelAttrs) as tf.Tensor[];
      },
    };
  });
  return f(x, gamma, beta);
}

/** The engine internals stopGradient uses (tfjs-core 4.22 Engine; not in the public typings). */
interface EngineInternals {
  readonly state: { readonly tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined } };
}

/**
 * Identity forward, no gradient (tf.stop_gradient; tfjs has none). The result is a new tensor on x's data (one more
 * backend reference, as tf.clone; no copy, no kernel) that is on no tape node, so backpropagation never enters x's
 * subgraph: its backward kernels are not run at all (a custom op with a zero gradient would still run them).
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  assertTensor('x', x);
  if (x.isDisposed) throw new TypeError('stopGradient: x is disposed');
  const engine = tf.engine();
  const owner = (engine as unknown as EngineInternals).state.tensorInfo.get(x.dataId)?.backend ?? engine.backend;
  owner.incRef(x.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype }, owner) as T;
}

/**
 * Straight-through estimator: forward value of `value`, gradient passed unchanged to `through` (and none to
 * `value`). VQ: straightThrough(quantized, z); binarisation: straightThrough(sign(x), x). Exact forward value,
 * unlike through + sg(value − through) which rounds.
 */
export function straightThrough<T extends tf.Tensor>(value: T, through: T): T {
  assertTensor('value', value);
  assertTensor('through', through);
  assertSameShape('straightThrough', value, through);
  const f = customOp(([v]) => ({
    value: tf.clone(v),
    gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy), tf.clone(dy)],
  }));
  return f(value, through) as T;
}

function assertSameShape(op: string, a: tf.Tensor, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${op}: shapes must match, got [${a.shape}] and [${b.shape}]`);
  }
}

/** The generator of a random op (every random function of this package takes it as `rng` in its options). */
export interface RandomOptions {
  readonly rng: Rng;
}

/** Element count of a shape (each dimension a size, the product at most MAX_ELEMENTS), and the checked rng. */
function randomShape(shape: unknown, opts: RandomOptions): { n: number; rng: Rng } {
  if (!Array.isArray(shape)) throw new TypeError(`shape must be an array of dimensions, got ${String(shape)}`);
  shape.forEach((d, i) => assertSize(`shape[${i}]`, d));
  const n = shape.reduce((a: number, b: number) => a * b, 1);
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`shape [${shape}] has ${n} elements, more than the limit of ${MAX_ELEMENTS}`);
  }
  assertObject('options', opts);
  assertRng('rng', opts.rng);
  return { n, rng: opts.rng };
}

/** A tensor of N(0,1) draws from a seeded lib/core Rng (reproducible and checkpointable, unlike tf.randomNormal). */
export function randomNormal(shape: number[], opts: RandomOptions): tf.Tensor {
  const { n, rng } = randomShape(shape, opts);
  return tf.tensor(rng.fillNormal(new Float32Array(n)) as Float32Array, shape);
}

/** A tensor of U(0,1) draws from a seeded Rng. */
export function randomUniform(shape: number[], opts: RandomOptions): tf.Tensor {
  const { n, rng } = randomShape(shape, opts);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform();
  return tf.tensor(out, shape);
}

/** Reparameterisation trick: μ + exp(½·logσ²)·ε, ε ~ N(0, I) given (so the caller owns the randomness). */
export function reparameterize<T extends tf.Tensor>(mu: T, logVar: T, eps: tf.Tensor): T {
  assertTensor('mu', mu);
  assertTensor('logVar', logVar);
  assertTensor('eps', eps);
  assertSameShape('reparameterize', mu, logVar);
  assertSameShape('reparameterize', mu, eps);
  return tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as T;
}

/** One-hot of the argmax along the last axis, with an identity (straight-through) gradient. */
export function hardOneHotStraightThrough<T extends tf.Tensor>(soft: T): T {
  assertTensor('soft', soft);
  const classes = soft.shape[soft.rank - 1];
  const f = customOp(([s]) => ({
    value: tf.cast(tf.oneHot(tf.argMax(s, -1), classes), 'float32'),
    gradFunc: (dy: tf.Tensor) => tf.clone(dy),
  }));
  return f(soft) as T;
}

export interface GumbelSoftmaxOptions extends RandomOptions {
  /** Temperature τ > 0. */
  readonly tau: number;
  /** One-hot forward value with the soft sample's gradient (default false). */
  readonly hard?: boolean;
}

/**
 * Gumbel-softmax sample over the last axis: softmax((logits + g)/τ), g = −log(−log u), u ~ U(0,1) from `rng`.
 * hard: the forward value is the one-hot argmax, the gradient that of the soft sample (straight-through).
 */
export function gumbelSoftmax<T extends tf.Tensor>(logits: T, opts: GumbelSoftmaxOptions): T {
  assertTensor('logits', logits);
  assertObject('options', opts);
  const { tau, rng } = opts;
  const hard = opts.hard ?? false;
  assertPositive('tau', tau);
  assertRng('rng', rng);
  if (typeof hard !== 'boolean') throw new TypeError(`hard must be true or false, got ${String(hard)}`);
  const n = logits.size;
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.min(Math.max(rng.uniform(), 1e-12), 1 - 1e-12); // keep both logs finite
    g[i] = -Math.log(-Math.log(u));
  }
  return tf.tidy(() => {
    const soft = tf.softmax(tf.div(tf.add(logits, tf.tensor(g, logits.shape)), tau));
    return (hard ? hardOneHotStraightThrough(soft) : soft) as T;
  });
}

/**
 * Score-function (REINFORCE) surrogate: mean(sg(cost − baseline) · logProb). Its gradient is the unbiased
 * estimate of ∇E[cost] (minimise it); the baseline lowers the variance and must not depend on the sample's action.
 */
export function reinforceSurrogate(logProb: tf.Tensor, cost: tf.Tensor, baseline: tf.Tensor | number = 0): tf.Scalar {
  assertTensor('logProb', logProb);
  assertTensor('cost', cost);
  if (typeof baseline === 'number') assertFiniteNumber('baseline', baseline);
  else assertTensor('baseline', baseline);
  assertSameShape('reinforceSurrogate', logProb, cost);
  return tf.tidy(() => tf.mean(tf.mul(stopGradient(tf.sub(cost, baseline)), logProb)) as tf.Scalar);
}

/** Exponential-moving-average baseline for reinforceSurrogate: b ← m·b + (1−m)·mean cost. */
export class EmaBaseline {
  value: number;
  constructor(readonly momentum = 0.9, initial = 0) {
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) {
      throw new RangeError(`momentum must be in [0, 1), got ${String(momentum)}`);
    }
    assertFiniteNumber('initial', initial);
    this.value = initial;
  }
  update(meanCost: number): number {
    if (!Number.isFinite(meanCost)) throw new RangeError(`meanCost must be finite, got ${meanCost}`);
    this.value = this.momentum * this.value + (1 - this.momentum) * meanCost;
    return this.value;
  }
}

/**
 * Rows table[indices] of a 2-D tensor, copied in TypeScript: exact, and a constant (no gradient to `table`). On tfjs
 * wasm 4.22 the GatherV2 kernel is ~10× slower (2048 rows of 64: 3.5 ms against 0.25 ms with the read-back).
 * indices: integers in [0, rows) (RangeError otherwise), as an array or an int32 tensor.
 */
export function gatherRows(table: tf.Tensor2D, indices: ArrayLike<number> | tf.Tensor1D): tf.Tensor2D {
  assertTensor('table', table);
  if (!(indices instanceof tf.Tensor) && !isNumericArray(indices)) {
    throw new TypeError(`gatherRows: indices must be an array or an int32 tensor, got ${describe(indices)}`);
  }
  if (table.rank !== 2) throw new RangeError(`gatherRows: table must be rank 2, got shape [${table.shape}]`);
  if (table.dtype !== 'float32' && table.dtype !== 'int32') {
    throw new TypeError(`gatherRows: table must be float32 or int32, got ${table.dtype}`);
  }
  const idx = indices instanceof tf.Tensor ? indices.dataSync() : indices;
  const [rows, width] = table.shape;
  const src = table.dataSync() as Float32Array | Int32Array;
  const out = table.dtype === 'int32' ? new Int32Array(idx.length * width) : new Float32Array(idx.length * width);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (!Number.isInteger(r) || r < 0 || r >= rows) {
      throw new RangeError(`gatherRows: indices[${i}] must be an integer in 0..${rows - 1}, got ${r}`);
    }
    out.set(src.subarray(r * width, (r + 1) * width), i * width);
  }
  return tf.tensor2d(out, [idx.length, width], table.dtype);
}

export interface CodewordLookup {
  /** codebook[indices], shape [N, D]. */
  readonly quantized: tf.Tensor2D;
  /** Nearest codeword per row (squared Euclidean, first on ties), int32 [N]. */
  readonly indices: tf.Tensor1D;
}

/**
 * Nearest-codeword lookup as ONE custom-gradient op (argMin + gather on the tape fails with int32 gradients).
 * Gradient w.r.t. codebook: onehotᵀ·dy (scatter-add of dy into the chosen rows). Gradient w.r.t. z: ZERO by
 * design: VQ-VAE models pass the decoder gradient to z with straightThrough(quantized, z) and pull z to the
 * codebook with a commitment term ‖z − sg(q)‖².
 * Speed on wasm: z·cᵀ as an explicit (tiny) transpose and a plain matmul (tfjs wasm's transposed-operand matmul
 * is ~6× slower; the scores came out bit-identical on 2.6M tested entries), the rows copied by gatherRows.
 */
export function nearestCodewordLookup(z: tf.Tensor2D, codebook: tf.Tensor2D): CodewordLookup {
  assertTensor('z', z);
  assertTensor('codebook', codebook);
  if (z.rank !== 2 || codebook.rank !== 2 || z.shape[1] !== codebook.shape[1]) {
    throw new RangeError(`nearestCodewordLookup: z must be [N, D] and codebook [K, D], got [${z.shape}] and [${codebook.shape}]`);
  }
  const k = codebook.shape[0];
  let kept: tf.Tensor1D | null = null;
  const f = customOp(([zz, cb], save) => {
    // ‖z‖² is constant per row, so argmin of ‖c‖² − 2 z·cᵀ is the nearest codeword.
    const cross = tf.matMul(zz as tf.Tensor2D, tf.transpose(cb) as tf.Tensor2D);
    const scores = tf.sub(tf.sum(tf.square(cb), 1), tf.mul(cross, 2));
    const idx = tf.argMin(scores, 1) as tf.Tensor1D;
    kept = tf.keep(idx);
    save([idx]);
    return {
      value: gatherRows(cb as tf.Tensor2D, idx),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.zerosLike(zz), tf.unsortedSegmentSum(dy, saved[0] as tf.Tensor1D, k)],
    };
  });
  const quantized = f(z, codebook) as tf.Tensor2D;
  // Re-home the indices in the caller's scope (kept escaped the op's internal tidy).
  const held = kept as unknown as tf.Tensor1D;
  const indices = tf.clone(held);
  held.dispose();
  return { quantized, indices };
}

export interface VectorQuantized {
  /** Quantised vectors, shape of z; forward = codewords, gradient passed straight through to z. */
  readonly zq: tf.Tensor;
  /** Codeword index per vector, int32, shape z.shape[:-1]. */
  readonly indices: tf.Tensor;
  /** ‖sg(z) − q‖² (mean): moves the codebook towards the encoder outputs. */
  readonly codebookLoss: tf.Scalar;
  /** ‖z − sg(q)‖² (mean): keeps the encoder near its codewords (weight it with β, e.g. 0.25). */
  readonly commitmentLoss: tf.Scalar;
}

/** VQ-VAE quantiser (van den Oord et al. 2017) over the last axis of z, codebook [K, D]. */
export function vectorQuantize(z: tf.Tensor, codebook: tf.Tensor2D): VectorQuantized {
  assertTensor('z', z);
  assertTensor('codebook', codebook, 2);
  const d = codebook.shape[1];
  if (z.shape[z.rank - 1] !== d) throw new RangeError(`vectorQuantize: z's last dimension must be ${d}, got shape [${z.shape}]`);
  const flat = tf.reshape(z, [-1, d]) as tf.Tensor2D;
  const { quantized, indices } = nearestCodewordLookup(flat, codebook);
  const q = tf.reshape(quantized, z.shape);
  return {
    zq: straightThrough(q, z),
    indices: tf.reshape(indices, z.shape.slice(0, -1)),
    codebookLoss: tf.mean(tf.square(tf.sub(q, stopGradient(z)))) as tf.Scalar,
    commitmentLoss: tf.mean(tf.square(tf.sub(z, stopGradient(q)))) as tf.Scalar,
  };
}
