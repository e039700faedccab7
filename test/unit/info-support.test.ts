/**
 * perceptionKL reports the exact optimum's D(P‖Q_Y): +∞ when the optimum drops a letter. Independent check: on
 * Example 1, where a letter is declared dropped, running Blahut–Arimoto 20× longer keeps shrinking its mass
 * (it is heading to 0, not to a positive value), and where none is dropped the KL equals that of the iterate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blahutArimoto, klDivergence, rdSupportExit } from '../../lib/info/index.js';

const px = [1, 2, 3, 4, 5, 6].map((x) => x / 21);
const d = px.map((_, x) => px.map((_, y) => 0.4 * (x - y) ** 2));

test('a letter declared off the support keeps losing mass as iterations grow', () => {
  const beta = 2; // D ≈ 0.3 on Example 1: past the point where letter 1 is dropped
  const short = blahutArimoto({ px, distortion: d, beta, tol: 1e-9, maxIters: 2000 });
  assert.equal(short.perceptionKL, Infinity);
  const long = blahutArimoto({ px, distortion: d, beta, tol: 1e-14, maxIters: 40_000 });
  const y = short.outputMarginal.indexOf(Math.min(...short.outputMarginal));
  assert.ok(long.outputMarginal[y] < short.outputMarginal[y] / 10, `q(${y + 1}) ${short.outputMarginal[y]} → ${long.outputMarginal[y]}`);
});

test('with no letter dropped, perceptionKL is the KL of the channel it returns', () => {
  const r = blahutArimoto({ px, distortion: d, beta: 30 });
  assert.ok(Number.isFinite(r.perceptionKL as number));
  assert.ok(Math.abs((r.perceptionKL as number) - klDivergence(px, Array.from(r.outputMarginal))) < 1e-12);
});

/**
 * rdSupportExit against an independent method: Blahut–Arimoto on the reproduction alphabet WITHOUT the leaving
 * letter y₀ (a rectangular problem whose optimum has every kept letter in its support, so BA converges linearly),
 * then bisection on β for the Kuhn–Tucker condition c(y₀) = Σ_x p(x)e^{−βd(x,y₀)} / Σ_y q(y)e^{−βd(x,y)} = 1.
 */
function exitByBisection(p: number[], dist: number[][], y0: number, lo: number, hi: number): { beta: number; distortion: number } {
  const keep = dist[0].map((_, y) => y).filter((y) => y !== y0);
  const reduced = dist.map((row) => keep.map((y) => row[y]));
  const solve = (beta: number) => {
    const r = blahutArimoto({ px: p, distortion: reduced, beta, tol: 1e-14, maxIters: 200_000 });
    let c = 0;
    p.forEach((px, x) => {
      const z = keep.reduce((s, y, j) => s + r.outputMarginal[j] * Math.exp(-beta * dist[x][y]), 0);
      c += (px * Math.exp(-beta * dist[x][y0])) / z;
    });
    return { c, distortion: r.distortion };
  };
  for (let i = 0; i < 50; i++) {
    const mid = 0.5 * (lo + hi);
    if (solve(mid).c > 1) hi = mid; else lo = mid; // c(y₀) > 1: y₀ belongs in the support (β above β*)
  }
  const beta = 0.5 * (lo + hi);
  return { beta, distortion: solve(beta).distortion };
}

test('rdSupportExit, Example 1: letter 1 leaves at D* = 0.18917, as bisection on reduced Blahut–Arimoto finds', () => {
  const r = rdSupportExit({ px, distortion: d });
  assert.ok(r.converged);
  assert.equal(r.letter, 0);
  assert.equal(r.outputMarginal[0], 0);
  assert.ok(r.residual < 1e-13);
  const ref = exitByBisection(px, d, 0, 1, 4);
  assert.ok(Math.abs(r.beta - ref.beta) < 1e-8 * ref.beta, `β* ${r.beta} vs ${ref.beta}`);
  assert.ok(Math.abs(r.distortion - ref.distortion) < 1e-9, `D* ${r.distortion} vs ${ref.distortion}`);
  assert.ok(Math.abs(r.distortion - 0.18917) < 1e-5);
  // Blahut–Arimoto on the full alphabet agrees on both sides: below D* the optimum keeps letter 1 (finite KL),
  // above it the letter is heading to zero mass (+∞)
  const below = blahutArimoto({ px, distortion: d, beta: r.beta * 1.05, tol: 1e-12 });
  assert.ok(below.distortion < r.distortion && Number.isFinite(below.perceptionKL as number));
  const above = blahutArimoto({ px, distortion: d, beta: r.beta / 1.05, tol: 1e-12 });
  assert.ok(above.distortion > r.distortion && above.perceptionKL === Infinity);
});

test('rdSupportExit, binary source with Hamming distortion: the less likely letter leaves at D* = p, β* = ln((1−p)/p)', () => {
  for (const p1 of [0.05, 0.2, 0.4]) {
    const r = rdSupportExit({ px: [1 - p1, p1], distortion: [[0, 1], [1, 0]] });
    assert.ok(r.converged);
    assert.equal(r.letter, 1);
    assert.ok(Math.abs(r.distortion - p1) < 1e-12, `p = ${p1}: D* ${r.distortion}`);
    assert.ok(Math.abs(r.beta - Math.log((1 - p1) / p1)) < 1e-10, `p = ${p1}: β* ${r.beta}`);
    assert.ok(r.rate < 1e-12); // R(D) = h(p) − h(D) reaches 0 at D = p
  }
});

test('rdSupportExit rejects problems without a full-support slope and bad options, naming the argument', () => {
  const named = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test(e.message);
  // reproduction letter 3 is dominated (farther from every x than letter 1): never used
  assert.throws(() => rdSupportExit({ px: [0.5, 0.5], distortion: [[0, 1, 2], [1, 0, 2]] }), named(/every reproduction letter/));
  assert.throws(() => rdSupportExit({ px, distortion: d, betaStart: 0.01 }), named(/betaStart/));
  assert.throws(() => rdSupportExit({ px, distortion: d, betaStart: -1 }), named(/betaStart/));
  assert.throws(() => rdSupportExit({ px: [1], distortion: [[0]] }), named(/distortion/));
});
