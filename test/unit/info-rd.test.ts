import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blahutArimoto, rdCurve, entropy, discretizeGaussian, gaussianRD } from '../../lib/info/index.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b} (tol ${tol})`);
const h = (t: number): number => (t <= 0 || t >= 1 ? 0 : -(t * Math.log2(t) + (1 - t) * Math.log2(1 - t)));
const hamming = [[0, 1], [1, 0]];
// Example 1 of the paper: X = {1..6}, P(x) = x/21, d = (2/5)|x−y|²
const ex1 = { px: [1, 2, 3, 4, 5, 6].map((x) => x / 21), distortion: [1, 2, 3, 4, 5, 6].map((x) => [1, 2, 3, 4, 5, 6].map((y) => 0.4 * (x - y) ** 2)) };

test('BA, binary Hamming: at slope β the optimum is D = 1/(1+e^β), R = h(p) − h(D) (Cover & Thomas 10.3.1)', () => {
  for (const p of [0.5, 0.3, 0.11]) {
    for (const beta of [1, 2, 3.5]) {
      const D = 1 / (1 + Math.exp(beta));
      if (D >= p) continue;
      const r = blahutArimoto({ px: [1 - p, p], distortion: hamming, beta, tol: 1e-11 });
      assert.ok(r.converged);
      close(r.distortion, D, 1e-8, `D(p=${p}, β=${beta})`);
      close(r.rate, h(p) - h(D), 1e-8, `R(p=${p}, β=${beta})`);
      let rowErr = 0;
      for (let x = 0; x < 2; x++) rowErr = Math.max(rowErr, Math.abs(r.conditional.data[2 * x] + r.conditional.data[2 * x + 1] - 1));
      assert.ok(rowErr < 1e-12);
    }
  }
});

test('rdCurve, binary Hamming p = 0.3: every point on h(p) − h(D), exact endpoints (0.3, 0) and (0, h(0.3))', () => {
  const p = 0.3;
  const pts = rdCurve({ px: [1 - p, p], distortion: hamming, points: 60 });
  assert.ok(pts.length >= 60);
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].distortion >= pts[i - 1].distortion, 'sorted by distortion');
  assert.deepEqual([pts[0].distortion, pts[0].rate], [0, h(p)]);
  const last = pts[pts.length - 1];
  close(last.distortion, p, 1e-15);
  assert.equal(last.rate, 0);
  for (const q of pts) {
    assert.ok(q.converged);
    close(q.rate, q.distortion < p ? h(p) - h(q.distortion) : 0, 1e-6, `R(${q.distortion})`);
    assert.ok(q.rate <= h(p) + 1e-12, 'R ≤ H(X)');
  }
  // coverage: no hole wider than 10% of D_max
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].distortion - pts[i - 1].distortion < 0.1 * p);
});

test('rdCurve, Example 1: endpoints D_max = 0.4·(Var X + (E X − 4)²) = 14/15 at rate 0 and (0, H(X)); KL of the conventional output is +∞ at D_max', () => {
  const pts = rdCurve({ ...ex1, points: 100 });
  const HX = -ex1.px.reduce((s, p) => s + p * Math.log2(p), 0);
  assert.equal(pts[0].distortion, 0);
  close(pts[0].rate, HX, 1e-12);
  close(pts[0].rate, entropy(ex1.px), 1e-12);
  const last = pts[pts.length - 1];
  close(last.distortion, 14 / 15, 1e-12);
  assert.equal(last.rate, 0);
  assert.equal(last.perceptionKL, Infinity);
  for (const q of pts) {
    assert.ok(q.rate <= HX + 1e-9 && q.rate >= -1e-12);
    assert.ok(q.distortion >= -1e-15 && q.distortion <= 14 / 15 + 1e-9);
  }
  // convexity and monotonicity of R(D): chords lie above the curve
  for (let i = 1; i + 1 < pts.length; i++) {
    const [a, b, c] = [pts[i - 1], pts[i], pts[i + 1]];
    assert.ok(b.rate <= a.rate + 1e-9, 'non-increasing');
    if (c.distortion - a.distortion > 1e-6) {
      const chord = a.rate + ((c.rate - a.rate) * (b.distortion - a.distortion)) / (c.distortion - a.distortion);
      assert.ok(b.rate <= chord + 1e-6, `convex at D=${b.distortion}`);
    }
  }
});

test('BA on a discretised N(0,1) under MSE matches ½ log2(σ²/D) within 0.005 bits (β = 1/(2D))', () => {
  const g = discretizeGaussian({ sigma2: 1, n: 121, span: 6 });
  for (const D of [0.5, 0.25, 0.1]) {
    const r = blahutArimoto({ px: g.px, distortion: g.distortion, beta: 1 / (2 * D), tol: 1e-5, maxIters: 20000 });
    assert.ok(r.converged, `converged at D=${D}`);
    close(r.distortion, D, 0.005 * D, 'distortion at slope 1/(2D)');
    close(r.rate, gaussianRD(g.variance, r.distortion), 0.005, `R at D=${D}`);
  }
});

test('BA/rdCurve reject bad input with RangeErrors naming the argument', () => {
  const ok = { px: [0.5, 0.5], distortion: hamming, beta: 1 };
  const named = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test(e.message);
  assert.throws(() => blahutArimoto({ ...ok, px: [0.5, 0.6] }), named(/px/));
  assert.throws(() => blahutArimoto({ ...ok, px: [-0.5, 1.5] }), named(/px\[0\]/));
  assert.throws(() => blahutArimoto({ ...ok, px: [NaN, 1] }), named(/px/));
  assert.throws(() => blahutArimoto({ ...ok, px: [0.2, 0.3, 0.5] }), named(/distortion must have 3 rows/));
  assert.throws(() => blahutArimoto({ ...ok, distortion: [[0, -1], [1, 0]] }), named(/distortion\[0\]\[1\]/));
  assert.throws(() => blahutArimoto({ ...ok, distortion: [[0, NaN], [1, 0]] }), named(/distortion\[0\]\[1\]/));
  assert.throws(() => blahutArimoto({ ...ok, beta: 0 }), named(/beta/));
  assert.throws(() => blahutArimoto({ ...ok, beta: -2 }), named(/beta/));
  assert.throws(() => blahutArimoto({ ...ok, beta: NaN }), named(/beta/));
  assert.throws(() => rdCurve({ px: [0.5, 0.5], distortion: hamming, betas: [1, -1] }), named(/betas\[1\]/));
  assert.throws(() => blahutArimoto({ ...ok, distortion: { data: new Float64Array(3), rows: 2, cols: 2 } }), named(/distortion/));
});

test('BA reports converged: false (and warns) when stopped early', () => {
  const warn = console.warn;
  let warned = 0;
  console.warn = () => { warned++; };
  try {
    const r = blahutArimoto({ ...ex1, beta: 1, maxIters: 3 });
    assert.equal(r.converged, false);
    assert.equal(warned, 1);
  } finally {
    console.warn = warn;
  }
});
