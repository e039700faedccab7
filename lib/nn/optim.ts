/**
 * Adam as torch.optim.Adam (eps 1e-8, coupled weight decay: g ← g + λ·θ before the moments), with explicit,
 * serialisable state (moments keyed by parameter name, step count) so training can be checkpointed and resumed.
 *
 * Two implementations of the same float32 arithmetic: `applyOps` (tf kernels, ~15 per variable; the reference, and
 * the update on every backend but wasm) and, on wasm, one fused pass per variable over the backend's heap
 * (lib/nn/fused-adam.ts), bit-identical to applyOps (test/unit/nn-train.test.ts) and several times faster.
 */
import { assertInteger, assertNonNegative, assertObject, assertPositive, assertInRange } from '../core/index.js';
import { assertParams } from './check.js';
import { tf } from './tf.js';
import type { Params } from './layers.js';
import { adamScalars, fusedAdamAvailable, fusedAdamUpdate } from './fused-adam.js';

export interface AdamOptions {
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Coupled L2 weight decay (torch Adam's weight_decay, not AdamW). */
  readonly weightDecay?: number;
  /**
   * Linear learning-rate warm-up: step t uses lr·min(1, t/warmupSteps) (0 = none). Large first steps can push a
   * saturating output (tanh) past the point where its gradient vanishes, leaving pixels dead for good.
   */
  readonly warmupSteps?: number;
}

export interface AdamState {
  readonly step: number;
  /** First moments, keyed by parameter name. */
  readonly m: Record<string, tf.Tensor>;
  /** Second moments, keyed by parameter name. */
  readonly v: Record<string, tf.Tensor>;
}

export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  private t = 0;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};

  constructor(private readonly params: Params, opts: AdamOptions = {}) {
    assertParams('params', params);
    assertObject('options', opts);
    this.lr = opts.lr ?? 1e-3;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.warmupSteps = opts.warmupSteps ?? 0;
    assertPositive('lr', this.lr);
    assertInteger('warmupSteps', this.warmupSteps, 0, 1e9);
    assertInRange('beta1', this.beta1, 0, 0.999999);
    assertInRange('beta2', this.beta2, 0, 0.999999999);
    assertPositive('eps', this.eps);
    assertNonNegative('weightDecay', this.weightDecay);
    for (const [k, p] of Object.entries(params)) {
      const z = tf.zerosLike(p);
      this.m[k] = tf.variable(z, false); // a variable shares z's data; z itself must still be released
      this.v[k] = tf.variable(z, false);
      z.dispose();
    }
  }

  get step(): number {
    return this.t;
  }

  /** One update with gradients keyed by parameter name (missing names are left unchanged). */
  apply(grads: Record<string, tf.Tensor>): void {
    if (!fusedAdamAvailable()) {
      this.applyOps(grads);
      return;
    }
    this.checkGrads(grads);
    const step = this.nextStep();
    const { weightDecay, beta1, beta2, eps } = this;
    const s = adamScalars({ weightDecay, beta1, beta2, eps, ...step });
    for (const [k, g] of Object.entries(grads)) {
      if (!fusedAdamUpdate(this.params[k], g, this.m[k], this.v[k], s)) this.updateOps(k, g, step);
    }
  }

  /** The same update as tf ops, one variable at a time: the reference the fused update is tested against. */
  applyOps(grads: Record<string, tf.Tensor>): void {
    this.checkGrads(grads);
    const step = this.nextStep();
    for (const [k, g] of Object.entries(grads)) this.updateOps(k, g, step);
  }

  private updateOps(k: string, g0: tf.Tensor, { bc1, bc2, lr }: { bc1: number; bc2: number; lr: number }): void {
    tf.tidy(() => {
      const p = this.params[k];
      const g = this.weightDecay > 0 ? tf.add(g0, tf.mul(p, this.weightDecay)) : g0;
      const m = tf.add(tf.mul(this.m[k], this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v[k], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      this.m[k].assign(m);
      this.v[k].assign(v);
      // torch: denom = √v/√bc2 + eps; θ −= (lr/bc1)·m/denom
      const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), this.eps);
      p.assign(tf.sub(p, tf.mul(tf.div(m, denom), lr / bc1)));
    });
  }

  /** Every gradient names a parameter and has its shape (checked before anything changes). */
  private checkGrads(grads: Record<string, tf.Tensor>): void {
    for (const [k, g] of Object.entries(grads)) {
      const p = this.params[k];
      if (!p) throw new RangeError(`gradient for unknown parameter ${JSON.stringify(k)}`);
      if (g.dtype !== 'float32' || g.rank !== p.rank || g.shape.some((d, i) => d !== p.shape[i])) {
        const want = `a float32 tensor of shape [${p.shape}] (the parameter's)`;
        throw new RangeError(`grads[${JSON.stringify(k)}] must be ${want}, got ${g.dtype} [${g.shape}]`);
      }
    }
  }

  /** Advances the step count; the bias corrections 1 − β^t and the (warmed-up) learning rate of the new step. */
  private nextStep(): { bc1: number; bc2: number; lr: number } {
    this.t += 1;
    return {
      bc1: 1 - this.beta1 ** this.t,
      bc2: 1 - this.beta2 ** this.t,
      lr: this.warmupSteps > 0 ? this.lr * Math.min(1, this.t / this.warmupSteps) : this.lr,
    };
  }

  /**
   * The state (tensors are the live variables: save or copy them before the next apply, which on wasm overwrites
   * the moments' buffers in place unless another tensor shares them, e.g. a tf.clone).
   */
  getState(): AdamState {
    return { step: this.t, m: { ...this.m }, v: { ...this.v } };
  }

  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`state.step must be an integer >= 0, got ${state.step}`);
    for (const k of Object.keys(this.params)) {
      if (!state.m[k] || !state.v[k]) throw new RangeError(`optimizer state lacks moments for ${JSON.stringify(k)}`);
      this.m[k].assign(state.m[k]);
      this.v[k].assign(state.v[k]);
    }
    this.t = state.step;
  }

  dispose(): void {
    for (const k of Object.keys(this.m)) {
      this.m[k].dispose();
      this.v[k].dispose();
    }
  }
}
