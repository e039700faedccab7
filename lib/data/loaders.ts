/** Deterministic mini-batches and subsets on plain typed arrays (seeded by lib/core's Rng; no tfjs). */
import { Rng, assertInteger, assertObject, assertSize, describe, isNumericArray } from '../core/index.js';

export type LabelArray = Uint8Array | Uint16Array | Int32Array | Float32Array;

export interface BatchesOptions<Y extends LabelArray = Uint8Array> {
  /** n × d row-major examples. */
  readonly x: Float32Array;
  /** One label per example (optional). */
  readonly y?: Y;
  readonly n: number;
  readonly batchSize: number;
  /** Shuffle the example order (needs `seed`). Default true. */
  readonly shuffle?: boolean;
  readonly seed?: number;
  /** Epoch number: epoch e uses a different, still deterministic, permutation of the same seed. Default 0. */
  readonly epoch?: number;
  /** Drop a last batch smaller than batchSize. Default false. */
  readonly dropLast?: boolean;
}

export interface Batch<Y extends LabelArray = Uint8Array> {
  /** size × d copy of the selected rows. */
  readonly x: Float32Array;
  readonly y?: Y;
  /** Row indices into the source arrays. */
  readonly indices: Uint32Array;
  readonly size: number;
  /** 0-based batch number within the epoch. */
  readonly index: number;
}

/** Most epochs epochOrder derives (each is one fork of the generator). */
const MAX_EPOCH = 1_000_000;

function rowWidth(x: Float32Array, n: number): number {
  if (!(x instanceof Float32Array)) throw new TypeError(`x must be a Float32Array, got ${describe(x)}`);
  assertSize('n', n, 1);
  if (x.length % n !== 0 || x.length === 0) throw new RangeError(`x.length (${x.length}) must be a positive multiple of n (${n})`);
  return x.length / n;
}

function checkLabels(y: LabelArray | undefined, n: number): void {
  if (y !== undefined && !isNumericArray(y)) {
    throw new TypeError(`y must be a typed array of labels, got ${describe(y)}`);
  }
  if (y !== undefined && y.length !== n) throw new RangeError(`y must hold one label per example (n = ${n}), got ${y.length}`);
}

function sameKind<Y extends LabelArray>(y: Y, size: number): Y {
  const Ctor = y.constructor as new (length: number) => Y;
  return new Ctor(size);
}

/** The example order of one epoch: a seeded permutation, or 0..n-1. */
export function epochOrder(n: number, shuffle: boolean, seed: number | undefined, epoch = 0): Uint32Array {
  assertSize('n', n);
  if (typeof shuffle !== 'boolean') throw new TypeError(`shuffle must be true or false, got ${describe(shuffle)}`);
  if (!shuffle) return Uint32Array.from({ length: n }, (_, i) => i);
  assertInteger('seed', seed, 0, 0xffffffff);
  assertInteger('epoch', epoch, 0, MAX_EPOCH);
  let rng = new Rng(seed);
  for (let e = 0; e < epoch; e++) rng = rng.fork();
  return rng.permutation(n);
}

/**
 * One epoch of mini-batches. Same seed and epoch → same order; each batch's arrays are fresh copies. The options
 * are checked when batches() is called, not at the first batch.
 */
export function batches<Y extends LabelArray = Uint8Array>(options: BatchesOptions<Y>): Generator<Batch<Y>> {
  assertObject('options', options);
  const { x, y, n } = options;
  const d = rowWidth(x, n);
  checkLabels(y, n);
  assertSize('batchSize', options.batchSize, 1);
  const shuffle = options.shuffle ?? true;
  if (shuffle && options.seed === undefined) throw new RangeError('seed is required when shuffle is true (pass shuffle: false for a fixed order)');
  const order = epochOrder(n, shuffle, options.seed, options.epoch ?? 0);
  const bs = options.batchSize;
  const count = options.dropLast ? Math.floor(n / bs) : Math.ceil(n / bs);
  return batchesOf(x, y, d, order, bs, count);
}

function* batchesOf<Y extends LabelArray>(
  x: Float32Array, y: Y | undefined, d: number, order: Uint32Array, bs: number, count: number,
): Generator<Batch<Y>> {
  const n = order.length;
  for (let b = 0; b < count; b++) {
    const indices = order.slice(b * bs, Math.min(n, (b + 1) * bs));
    const size = indices.length;
    const bx = new Float32Array(size * d);
    for (let i = 0; i < size; i++) bx.set(x.subarray(indices[i] * d, (indices[i] + 1) * d), i * d);
    let by: Y | undefined;
    if (y) {
      by = sameKind(y, size);
      for (let i = 0; i < size; i++) by[i] = y[indices[i]];
    }
    yield { x: bx, y: by, indices, size, index: b };
  }
}

export interface Examples {
  readonly x: Float32Array;
  readonly n: number;
  readonly y?: LabelArray;
  readonly photoIds?: readonly string[];
}

/**
 * `count` examples drawn without replacement by a seeded permutation (kept in their original order), for the
 * quick profile. Copies x, y and photoIds; other fields (width, height, …) are passed through.
 */
export function subset<T extends Examples>(data: T, count: number, seed: number): T {
  assertObject('data', data);
  const d = rowWidth(data.x, data.n);
  checkLabels(data.y, data.n);
  assertInteger('count', count, 1, data.n);
  assertInteger('seed', seed, 0, 0xffffffff);
  const idx = new Rng(seed).permutation(data.n).slice(0, count).sort();
  const x = new Float32Array(count * d);
  for (let i = 0; i < count; i++) x.set(data.x.subarray(idx[i] * d, (idx[i] + 1) * d), i * d);
  const out = { ...data, x, n: count } as unknown as Record<string, unknown>;
  if (data.y) {
    const y = sameKind(data.y, count);
    for (let i = 0; i < count; i++) y[i] = data.y[idx[i]];
    out.y = y;
  }
  if (data.photoIds) {
    if (data.photoIds.length !== data.n) throw new RangeError(`photoIds must have n = ${data.n} entries, got ${data.photoIds.length}`);
    const ids = data.photoIds;
    out.photoIds = Array.from(idx, (i) => ids[i]);
  }
  return out as unknown as T;
}
