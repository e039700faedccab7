/**
 * Argument checks of lib/nn: a tensor (optionally of a given rank) and a parameter record, each throwing a TypeError
 * or RangeError that names the argument, before tfjs turns the mistake into an untyped Error deep inside an op.
 * (Values inside tensors are not scanned: that would read every tensor back from the backend.)
 */
import { describe } from '../core/index.js';
import { tf } from './tf.js';
import type { Params } from './layers.js';

/** Throws unless `x` is a live tf.Tensor of rank `rank` (when given). */
export function assertTensor(name: string, x: unknown, rank?: number): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new TypeError(`${name} must be a tf.Tensor, got ${describe(x)}`);
  if (x.isDisposed) throw new TypeError(`${name} is a disposed tensor`);
  if (rank !== undefined && x.rank !== rank) {
    throw new RangeError(`${name} must have rank ${rank}, got shape [${x.shape}]`);
  }
}

/** Throws unless `p` is a Params record (name → tf.Variable). */
export function assertParams(name: string, p: unknown): asserts p is Params {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    throw new TypeError(`${name} must be a Params record (name → tf.Variable), got ${describe(p)}`);
  }
}

/** Throws unless `name` is a non-empty string (a parameter prefix like "enc.conv1"). */
export function assertLayerName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`name must be a non-empty layer name, got ${describe(name)}`);
  }
}
