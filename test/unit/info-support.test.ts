/**
 * perceptionKL reports the exact optimum's D(P‖Q_Y): +∞ when the optimum drops a letter. Independent check: on
 * Example 1, where a letter is declared dropped, running Blahut–Arimoto 20× longer keeps shrinking its mass
 * (it is heading to 0, not to a positive value), and where none is dropped the KL equals that of the iterate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blahutArimoto, klDivergence } from '../../lib/info/index.js';

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
