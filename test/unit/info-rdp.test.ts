import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rdpAt, rdpCurve, blahutArimoto, zepe } from '../../lib/info/index.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b} (tol ${tol})`);
const ex1 = { px: [1, 2, 3, 4, 5, 6].map((x) => x / 21), distortion: [1, 2, 3, 4, 5, 6].map((x) => [1, 2, 3, 4, 5, 6].map((y) => 0.4 * (x - y) ** 2)) };
const hamming = [[0, 1], [1, 0]];

test('rdpAt limits: δ = ∞ is Blahut–Arimoto at slope β, δ = 0 is ZEPE at λ = β', () => {
  for (const beta of [0.5, 1, 3]) {
    const inf = rdpAt({ ...ex1, beta, delta: Infinity });
    const ba = blahutArimoto({ ...ex1, beta, tol: 1e-9 });
    close(inf.rate, ba.rate, 1e-7, 'δ=∞ rate');
    close(inf.distortion, ba.distortion, 1e-7, 'δ=∞ distortion');
    const zero = rdpAt({ ...ex1, beta, delta: 0 });
    const z = zepe({ ...ex1, lambda: beta });
    close(zero.rate, z.rate, 1e-12);
    close(zero.distortion, z.distortion, 1e-12);
    assert.ok(zero.perceptionKL < 1e-12);
  }
});

/** Brute force over all binary channels (a, b) = (Q(1|0), Q(0|1)) on a grid: min I s.t. E d ≤ D, KL(P‖Q_Y) ≤ δ. */
function bruteForceBinary(p: number, D: number, delta: number, steps: number): number {
  let best = Infinity;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const a = (i / steps) * 0.5, b = (j / steps) * 0.5;
      const dist = (1 - p) * a + p * b;
      if (dist > D) continue;
      const q1 = (1 - p) * a + p * (1 - b);
      const kl = (1 - p) * Math.log2((1 - p) / (1 - q1)) + p * Math.log2(p / q1);
      if (kl > delta) continue;
      const joint = [(1 - p) * (1 - a), (1 - p) * a, p * b, p * (1 - b)];
      const mx = [1 - p, 1 - p, p, p], my = [1 - q1, q1, 1 - q1, q1];
      const I = joint.reduce((s, v, k) => s + (v > 0 ? v * Math.log2(v / (mx[k] * my[k])) : 0), 0);
      best = Math.min(best, I);
    }
  }
  return best;
}

test('rdpAt, binary p = 0.2 with Hamming: matches a brute-force search over all channels (second method)', () => {
  const p = 0.2;
  for (const [beta, delta] of [[1.5, 0.02], [2.5, 0.005], [2.5, 0.05]]) {
    const r = rdpAt({ px: [1 - p, p], distortion: hamming, beta, delta });
    assert.ok(r.converged);
    assert.ok(r.perceptionKL <= delta * (1 + 1e-6), `KL ${r.perceptionKL} ≤ δ ${delta}`);
    const bf = bruteForceBinary(p, r.distortion, delta, 600);
    // the grid can only be worse than the optimum; it gets within ~1e-3 of it
    assert.ok(r.rate <= bf + 1e-6, `solver ${r.rate} above brute force ${bf}`);
    assert.ok(bf - r.rate < 3e-3, `brute force ${bf} far above solver ${r.rate}`);
  }
});

test('rdpCurve, Example 1: δ = 0 and δ = ∞ are the ZEPE and conventional curves; R(D, δ) decreases in δ; KL ≤ δ', () => {
  const deltas = [0, 0.01, 0.2, Infinity];
  const curves = deltas.map((delta) => rdpCurve({ ...ex1, delta, points: 10 }));
  const at = (c: { distortion: number; rate: number }[], D: number): number => {
    if (D <= c[0].distortion) return c[0].rate;
    if (D >= c[c.length - 1].distortion) return c[c.length - 1].rate;
    const i = c.findIndex((e) => e.distortion >= D);
    const a = c[i - 1], b = c[i];
    return a.rate + ((b.rate - a.rate) * (D - a.distortion)) / (b.distortion - a.distortion);
  };
  curves.forEach((c, k) => {
    for (const e of c) {
      assert.ok(e.converged);
      if (deltas[k] < Infinity) assert.ok(e.perceptionKL <= deltas[k] * (1 + 1e-6) + 1e-12, `δ=${deltas[k]} KL=${e.perceptionKL}`);
    }
  });
  assert.equal(curves[0][0].rate > 2.39, true); // ZEPE endpoint (0, H(X))
  assert.ok(curves[0].every((e) => e.nu === Infinity) && curves[3].every((e) => e.nu === 0));
  // every point of a looser-δ curve lies below the tighter curve (whose chords over-estimate it: conservative)
  for (let k = 1; k < curves.length; k++) {
    for (const e of curves[k]) {
      if (e.distortion < 0.02) continue;
      assert.ok(e.rate <= at(curves[k - 1], e.distortion) + 1e-6, `D=${e.distortion}: R(δ=${deltas[k]})=${e.rate} > R(δ=${deltas[k - 1]})`);
    }
  }
  // and the constraint matters: at D = 0.4 the curves are strictly ordered
  const r04 = curves.map((c) => at(c, 0.4));
  for (let k = 1; k < r04.length; k++) assert.ok(r04[k] < r04[k - 1] - 1e-3, `strict at D=0.4: ${r04}`);
  // explicit slopes: each intermediate-δ point lies between the two limits at the same β
  for (const beta of [0.7, 2]) {
    const [lo, mid, hi] = [0, 0.05, Infinity].map((delta) => rdpAt({ ...ex1, beta, delta }));
    assert.ok(mid.perceptionKL <= 0.05 * (1 + 1e-6));
    // Lagrangian values L = R + β D/ln2 are ordered because the feasible sets are nested
    const L = (e: { rate: number; distortion: number }): number => e.rate + (beta * e.distortion) / Math.LN2;
    assert.ok(L(hi) <= L(mid) + 1e-9 && L(mid) <= L(lo) + 1e-9);
  }
});

test('rdpCurve/rdpAt reject bad input with RangeErrors naming the argument', () => {
  const named = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test(e.message);
  assert.throws(() => rdpCurve({ ...ex1, delta: -0.1 }), named(/delta/));
  assert.throws(() => rdpCurve({ ...ex1, delta: NaN }), named(/delta/));
  assert.throws(() => rdpAt({ ...ex1, beta: 0, delta: 1 }), named(/beta/));
  assert.throws(() => rdpCurve({ px: [0.5, 0.5], distortion: [[0, 1, 1], [1, 0, 1]], delta: 1 }), named(/distortion.*square/));
  assert.throws(() => rdpCurve({ ...ex1, delta: 1, betas: [-1] }), named(/betas\[0\]/));
});
