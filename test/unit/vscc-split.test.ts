/** The by-photo split of the held-out photos into validation and test photos, and the evenly spread patch subsets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldOutSplit, spreadIndices, pickRows, VALIDATION_PHOTO_STRIDE } from '../../lib/papers/vscc/index.js';

test('held-out photos split by photo: every third photo (2nd, 5th, …) validates, no photo on both sides', () => {
  assert.equal(VALIDATION_PHOTO_STRIDE, 3);
  // the 32×32 set's held-out photos have these patch counts (manifest order)
  const counts = [80, 80, 96, 112, 96, 80, 80, 96, 80, 80, 64, 64, 72, 96, 64, 77, 80, 88, 96];
  const ids = counts.flatMap((c, k) => Array.from({ length: c }, () => `p${k}`));
  const s = heldOutSplit(ids);
  assert.deepEqual(s.validationPhotos, ['p1', 'p4', 'p7', 'p10', 'p13', 'p16']);
  assert.equal(s.testPhotos.length, 13);
  assert.equal(s.validation.length, 512);
  assert.equal(s.test.length, 1069);
  assert.ok(s.test.length >= 500);
  const valIds = new Set(s.validation.map((i) => ids[i]));
  assert.ok(s.test.every((i) => !valIds.has(ids[i])), 'disjoint by photo');
  assert.equal(new Set([...s.validation, ...s.test]).size, ids.length, 'every patch on exactly one side');
  assert.throws(() => heldOutSplit(['a', 'b', 'a']), /together/);
});

test('spread indices cover the range evenly; pickRows copies those rows', () => {
  assert.deepEqual(spreadIndices(10, 4), [0, 2, 5, 7]);
  assert.deepEqual(spreadIndices(3, 3), [0, 1, 2]);
  assert.throws(() => spreadIndices(3, 4), /count/);
  const x = Float32Array.from({ length: 4 * 12 }, (_, i) => Math.floor(i / 12));
  const r = pickRows(x, [3, 1], 2);
  assert.equal(r.n, 2);
  assert.deepEqual(Array.from(r.x.subarray(0, 12)), new Array(12).fill(3));
  assert.deepEqual(Array.from(r.x.subarray(12)), new Array(12).fill(1));
});
