import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batches, subset } from '../../lib/data/index.js';

/** n rows of width d where row i holds i·d … i·d+d-1, so every value reveals its source row. */
function toy(n: number, d: number): { x: Float32Array; y: Uint8Array; n: number } {
  const x = Float32Array.from({ length: n * d }, (_, i) => i);
  const y = Uint8Array.from({ length: n }, (_, i) => i % 251);
  return { x, y, n };
}

function order(seed: number, epoch = 0): number[] {
  const { x, y, n } = toy(50, 3);
  return [...batches({ x, y, n, batchSize: 8, seed, epoch })].flatMap((b) => [...b.indices]);
}

test('batches: same seed → same order; different seed or epoch → different order', () => {
  assert.deepEqual(order(1), order(1));
  assert.notDeepEqual(order(1), order(2));
  assert.notDeepEqual(order(1, 0), order(1, 1));
  assert.deepEqual(order(1, 1), order(1, 1));
});

test('batches: one epoch visits every example exactly once, rows and labels match their indices', () => {
  const { x, y, n } = toy(50, 3);
  const seen = new Array<number>(n).fill(0);
  const list = [...batches({ x, y, n, batchSize: 8, seed: 7 })];
  assert.deepEqual(list.map((b) => b.size), [8, 8, 8, 8, 8, 8, 2]);
  for (const b of list) {
    for (let i = 0; i < b.size; i++) {
      const k = b.indices[i];
      seen[k]++;
      assert.deepEqual([...b.x.subarray(i * 3, i * 3 + 3)], [3 * k, 3 * k + 1, 3 * k + 2]);
      assert.equal(b.y?.[i], k % 251);
    }
  }
  assert.ok(seen.every((c) => c === 1));
  assert.notDeepEqual(list.flatMap((b) => [...b.indices]), Array.from({ length: n }, (_, i) => i));
});

test('batches: dropLast and unshuffled order', () => {
  const { x, n } = toy(50, 2);
  assert.equal([...batches({ x, n, batchSize: 8, seed: 1, dropLast: true })].length, 6);
  const seq = [...batches({ x, n, batchSize: 20, shuffle: false })];
  assert.deepEqual(seq.flatMap((b) => [...b.indices]), Array.from({ length: n }, (_, i) => i));
  assert.equal(seq[2].size, 10);
  assert.equal(seq[0].y, undefined);
});

test('batches: bad input throws', () => {
  const { x, y, n } = toy(10, 2);
  assert.throws(() => [...batches({ x, n, batchSize: 0, seed: 1 })], RangeError);
  assert.throws(() => [...batches({ x, n: 3, batchSize: 2, seed: 1 })], RangeError);
  assert.throws(() => [...batches({ x, y: y.subarray(0, 5), n, batchSize: 2, seed: 1 })], RangeError);
  assert.throws(() => [...batches({ x, n, batchSize: 2 })], /seed/);
});

test('subset: deterministic, without replacement, rows and labels kept together', () => {
  const data = { ...toy(100, 4), width: 2, height: 2 };
  const a = subset(data, 10, 3);
  const b = subset(data, 10, 3);
  const c = subset(data, 10, 4);
  assert.deepEqual([...a.x], [...b.x]);
  assert.notDeepEqual([...a.x], [...c.x]);
  assert.equal(a.n, 10);
  assert.equal(a.width, 2);
  const rows = new Set<number>();
  for (let i = 0; i < 10; i++) {
    const k = a.x[i * 4] / 4;
    rows.add(k);
    assert.equal(a.y?.[i], k % 251);
  }
  assert.equal(rows.size, 10);
  assert.throws(() => subset(data, 101, 1), RangeError);
});
