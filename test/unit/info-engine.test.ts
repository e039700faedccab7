import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEngine, wasmAvailable, engineModuleBytes } from '../../lib/info/engine.js';
import { gaussianRD, gaussianDR, gaussianPerfectPerceptionDR, discretizeGaussian } from '../../lib/info/index.js';

/** Naive reference: s = K v, w = p/s, acc = Kᵀ w, written out directly. */
function reference(K: Float64Array, n: number, m: number, p: Float64Array, v: Float64Array): { w: Float64Array; acc: Float64Array } {
  const w = new Float64Array(n), acc = new Float64Array(m);
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let y = 0; y < m; y++) s += K[x * m + y] * v[y];
    w[x] = s > 0 ? p[x] / s : 0;
  }
  for (let y = 0; y < m; y++) for (let x = 0; x < n; x++) acc[y] += w[x] * K[x * m + y];
  return { w, acc };
}

test('the hand-assembled WebAssembly module validates (plain SIMD) on this Node', () => {
  assert.ok(wasmAvailable());
  const wa = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  assert.ok(wa.validate(engineModuleBytes(false)));
});

test('sweep engines (JS, WebAssembly blocked and row layouts) agree with a naive matvec on odd shapes', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [n, m] of [[1, 1], [3, 5], [5, 7], [64, 64], [67, 129], [130, 61]]) {
    const K = Float64Array.from({ length: n * m }, rnd);
    const p = Float64Array.from({ length: n }, (_, i) => (i === 1 ? 0 : rnd()));
    const v = Float64Array.from({ length: m }, rnd);
    const ref = reference(K, n, m, p, v);
    const engines = [makeEngine(K, n, m, p, 'js'), makeEngine(K, n, m, p, 'wasm', 'blocked'), makeEngine(K, n, m, p, 'wasm', 'rows')];
    for (const e of engines) {
      e.v.subarray(0, m).set(v);
      for (let rep = 0; rep < 2; rep++) e.sweep(); // twice: acc must be reset between sweeps
      for (let x = 0; x < n; x++) assert.ok(Math.abs(e.w[x] - ref.w[x]) <= 1e-13 * Math.abs(ref.w[x]), `w[${x}] ${n}x${m}`);
      for (let y = 0; y < m; y++) assert.ok(Math.abs(e.acc[y] - ref.acc[y]) <= 1e-12 * ref.acc[y], `acc[${y}] ${n}x${m}`);
    }
  }
});

test('a zero row (underflowed kernel) gives w = 0, never NaN', () => {
  const K = Float64Array.from([1, 2, 0, 0, 3, 4, 5, 6]);
  const p = Float64Array.from([0.5, 0.5, 0, 0]);
  for (const e of [makeEngine(K, 4, 2, p, 'js'), makeEngine(K, 4, 2, p, 'wasm')]) {
    e.v.subarray(0, 2).set([1, 1]);
    e.sweep();
    assert.equal(e.w[1], 0);
    assert.ok(Array.from(e.acc.subarray(0, 2)).every(Number.isFinite));
  }
});

test('Gaussian closed forms: independent reconstruction costs E(X−Y)² = 2σ² at R = 0 (ratio 2); D_p/D → 1 as R → ∞', () => {
  assert.equal(gaussianPerfectPerceptionDR(3, 0), 6);
  assert.equal(gaussianDR(3, 0), 3);
  assert.equal(gaussianDR(1, 1), 0.25);
  assert.equal(gaussianRD(1, 0.25), 1);
  assert.equal(gaussianRD(1, 2), 0);
  assert.equal(gaussianRD(1, 0), Infinity);
  for (const R of [0.1, 0.5, 1, 2, 4]) {
    const ratio = gaussianPerfectPerceptionDR(1, R) / gaussianDR(1, R);
    assert.ok(ratio > 1 && ratio < 2, `ratio at R=${R}`);
  }
  // at high rate 1 − √(1 − ε) ≈ ε/2 + ε²/8, so D_p/D = 1 + ε/4 + …
  const eps = 2 ** -24;
  assert.ok(Math.abs(gaussianPerfectPerceptionDR(1, 12) / gaussianDR(1, 12) - (1 + eps / 4)) < 1e-12);
  const g = discretizeGaussian({ sigma2: 2, n: 201, span: 6 });
  assert.ok(Math.abs(g.variance - 2) < 1e-6 && Math.abs(g.px.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.throws(() => gaussianRD(-1, 1), (e: unknown) => e instanceof RangeError && /sigma2/.test(e.message));
  assert.throws(() => gaussianPerfectPerceptionDR(1, -1), (e: unknown) => e instanceof RangeError && /\bR\b/.test(e.message));
  assert.throws(() => discretizeGaussian({ sigma2: 1, n: 1 }), (e: unknown) => e instanceof RangeError && /\bn\b/.test(e.message));
});
