import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadMnist, loadFashionMnist, parseIdx, FASHION_MNIST_DIR, dataStatus } from '../../lib/data/index.js';

function classCounts(y: Uint8Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const v of y) c[v]++;
  return c;
}

function range(x: Float32Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

test('MNIST: 60,000/10,000 images of 28×28 with the published per-class counts', () => {
  const train = loadMnist('train');
  const test = loadMnist('test');
  assert.equal(train.n, 60000);
  assert.equal(test.n, 10000);
  assert.equal(train.x.length, 60000 * 784);
  assert.equal(test.x.length, 10000 * 784);
  assert.equal(train.width, 28);
  assert.equal(train.height, 28);
  assert.deepEqual(classCounts(train.y), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(classCounts(test.y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  // The well-known first digits: a 5 in train, a 7 in test.
  assert.equal(train.y[0], 5);
  assert.equal(test.y[0], 7);
  // Pixels span exactly [0, 1] (raw bytes 0 and 255 both occur).
  assert.deepEqual(range(test.x), [0, 1]);
  assert.deepEqual(range(train.x), [0, 1]);
  // Cached: the second call returns the same object.
  assert.equal(loadMnist('test'), test);
});

test('Fashion-MNIST: 60,000/10,000 images, 6,000 / 1,000 per class', (t) => {
  if (!existsSync(FASHION_MNIST_DIR)) {
    t.skip(`Debian dataset-fashion-mnist is not installed (${FASHION_MNIST_DIR} missing): apt-get install -y dataset-fashion-mnist`);
    return;
  }
  const train = loadFashionMnist('train');
  const test = loadFashionMnist('test');
  assert.equal(train.n, 60000);
  assert.equal(test.n, 10000);
  assert.deepEqual(classCounts(train.y), new Array(10).fill(6000));
  assert.deepEqual(classCounts(test.y), new Array(10).fill(1000));
  assert.deepEqual(range(test.x), [0, 1]);
});

test('Fashion-MNIST: a missing folder gives an error naming the fix command', () => {
  assert.throws(() => loadFashionMnist('test', { dir: '/nonexistent/fashion-mnist' }), /apt-get install -y dataset-fashion-mnist/);
  assert.throws(() => loadMnist('validation' as 'train'), RangeError);
});

test('IDX parser: checks magic number, rank and payload length', () => {
  const ok = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
  assert.deepEqual([...parseIdx(ok, 1).data], [7, 8, 9]);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 3, 7, 8, 9]), 1), /magic/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 4, 7, 8, 9]), 1), /payload/);
});

test('dataStatus: one entry per data set, MNIST ok here; the papers\' datasets optional', () => {
  const s = dataStatus();
  assert.deepEqual(s.map((e) => e.name.split(' ')[0]), ['MNIST', 'Fashion-MNIST', 'Photo', 'Mini-ImageNet', 'PASCAL', 'Flickr8k']);
  assert.deepEqual(s.map((e) => e.required ?? true), [true, true, true, false, false, false]);
  assert.equal(s[0].ok, true);
  for (const e of s) assert.equal(e.ok ? e.fix === '' : e.fix.length > 0, true);
});
