import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, loadWasmBackend } from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

// lib/nn/kernels/wasm-channel-sum.ts: tf.sum over all leading axes on wasm. Reference: tfjs' own wasm Sum reached
// by the explicit composition it performs internally (transpose [c, rows], sum over the last axis, a case the
// replacement hands to tfjs' kernel): the same float32 additions, so bit-identical.

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

test('wasm Sum over leading axes = tfjs Sum of the transposed rows, bit for bit; others delegated', async () => {
  loadWasmBackend();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const rng = new Rng(51);
  for (const shape of [[16, 32, 32, 8], [16, 8, 8, 32], [3, 5, 7, 12], [128, 512], [2, 3, 4], [1, 1, 1, 4]]) {
    const size = shape.reduce((a, b) => a * b, 1);
    const c = shape[shape.length - 1];
    const x = tf.tensor(rng.fillNormal(new Float32Array(size), 0, 3) as Float32Array, shape);
    const leading = shape.slice(0, -1).map((_, i) => i);
    tf.tidy(() => {
      const want = tf.sum(tf.reshape(tf.transpose(x, [shape.length - 1, ...leading]), [c, size / c]), 1);
      assert.deepEqual(bits(tf.sum(x, leading)), bits(want), `[${shape}] sum over ${leading}`);
      const neg = leading.map((a) => a - shape.length); // negative axes, any order
      assert.deepEqual(bits(tf.sum(x, neg.reverse())), bits(want), `[${shape}] negative axes`);
      const kept = tf.sum(x, leading, true);
      assert.deepEqual(kept.shape, [...leading.map(() => 1), c], `[${shape}] keepDims shape`);
      assert.deepEqual(bits(kept), bits(want), `[${shape}] keepDims values`);
    });
    x.dispose();
  }
  // Delegated: c not a multiple of 4, other axes, int32, all axes; and an empty input; values by hand.
  tf.tidy(() => {
    const odd = tf.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(Array.from(tf.sum(odd, 0).dataSync()), [5, 7, 9]);
    assert.deepEqual(Array.from(tf.sum(odd, 1).dataSync()), [6, 15]);
    const ints = tf.tensor([[1, 2, 3, 4], [5, 6, 7, 8]], undefined, 'int32');
    const si = tf.sum(ints, 0);
    assert.equal(si.dtype, 'int32');
    assert.deepEqual(Array.from(si.dataSync()), [6, 8, 10, 12]);
    assert.equal(tf.sum(ints).dataSync()[0], 36);
    assert.deepEqual(Array.from(tf.sum(tf.zeros([0, 4]), 0).dataSync()), [0, 0, 0, 0]);
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});
