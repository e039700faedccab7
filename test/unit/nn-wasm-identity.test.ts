import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, loadWasmBackend } from '../../lib/nn/index.js';

// lib/nn/kernels/wasm-identity.ts: tf.clone on wasm shares the buffer; values and lifetimes as a copy's.

test('tf.clone on wasm shares the buffer, keeps values after the source is disposed, no leak', async () => {
  loadWasmBackend();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const bytesBefore = tf.memory().numBytes;
  const values = Float32Array.from([1.5, -2, 3.25, 0, -0, 7]);
  const x = tf.tensor(values, [2, 3]);
  const y = tf.clone(x);
  assert.equal(y.dataId, x.dataId, 'same data (no copy)');
  assert.deepEqual(y.shape, [2, 3]);
  const backend = tf.backend() as unknown as { refCount(id: object): number };
  assert.equal(backend.refCount(x.dataId), 2, 'two references to one buffer');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), Array.from(values), 'the clone keeps the values');
  const z = tf.add(y, 1); // kernels read the shared buffer
  assert.deepEqual(Array.from(z.dataSync()), Array.from(values, (v) => v + 1));
  tf.dispose([y, z]);
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
  assert.equal(tf.memory().numBytes, bytesBefore, 'buffer freed with its last reference');
  // Gradients through saved (cloned) tensors: d/dx Σ x·x = 2x.
  const a = tf.tensor([1, -2, 3]);
  const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(t, t)))([a]);
  assert.deepEqual(Array.from(g.dataSync()), [2, -4, 6]);
  const s = tf.tensor(['a', 'bc']); // strings share too
  const sc = tf.clone(s);
  s.dispose();
  assert.deepEqual(sc.arraySync(), ['a', 'bc']);
  tf.dispose([a, g, sc]);
});
