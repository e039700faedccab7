/**
 * E2EC failed-run restarts (lib/papers/e2ec/restarts.ts): the rule "trained ⇔ validation accuracy at the chosen
 * checkpoint ≥ 0.25", retraining with seed + 1 up to maxRestarts, the plan pointing at each entry's last attempt (the
 * default model included), and the claims leaving out comparisons with a model that did not train. Stand-in results
 * (no training): the rule's inputs are the curve and the chosen point only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  MIN_TRAINED_ACCURACY, claims, claimsInput, isTrained, planTrials, restartRows, restartUntrained, untestedClaims,
  type CurvePoint, type E2ecConfig, type E2ecTrialResult, type TrialResult,
} from '../../lib/papers/e2ec/index.js';

const plan = planTrials({
  e2ec: { steps: 10, trainCount: 200, testCount: 40, hidden: [8, 8], contentHidden: [8, 8], evalEvery: 5 },
  baselines: { steps: 10 }, epsilons: [0.2, 0.1], lengths: [64], lambdas: [1e-6], ds: [8], betas: [0.1],
  sweepSteps: 10, ablationSteps: 10,
});

const point = (step: number, accuracy: number): CurvePoint => ({ step, epoch: step / 10, ce: 2.3 * (1 - accuracy), accuracy, rateBits: 30, lengthEntropyBits: 4, objective: 2.3 * (1 - accuracy), n: 20 });

/** A stand-in Table I result whose validation curve peaks at `peak` and ends at `chosen` (the chosen point). */
function fake(config: E2ecConfig, chosen: number, peak = chosen): E2ecTrialResult {
  const n = 40;
  const curve = [point(0, 0.1), point(5, peak), point(10, chosen)];
  const correct = Array.from({ length: n }, (_, i) => (i < chosen * n ? 1 : 0));
  return {
    kind: 'e2ec', config, curve, chosen: curve[2], history: [], importance: [],
    eval: { correct, bits: new Array(n).fill(30), accuracy: chosen, rateBits: 30, n },
    drops: { early: new Array(n).fill(0), late: new Array(n).fill(0) },
    embedInit: { maxCrossInner: 0.17 }, embedFinal: { maxCrossInner: 0.1 },
  } as unknown as E2ecTrialResult;
}

const eps = (e: number): E2ecConfig => plan.table1.find((t) => t.block === 'epsilon' && t.value === e)?.config as E2ecConfig;

test('the rule: trained at or above 25 % validation accuracy at the chosen checkpoint, not at a higher earlier peak', () => {
  assert.equal(MIN_TRAINED_ACCURACY, 0.25);
  assert.equal(isTrained(fake(eps(0.1), 0.25)), true);
  assert.equal(isTrained(fake(eps(0.1), 0.249)), false);
  assert.equal(isTrained(fake(eps(0.1), 0.43)), true, 'a slow learner (N = 8 in the first full run) is trained');
  assert.equal(isTrained(fake(eps(0.1), 0.2, 0.9)), false, 'a run that learned and lost it is judged at its chosen point');
  const noCurve = { ...fake(eps(0.1), 0.1), curve: [], chosen: null } as E2ecTrialResult;
  assert.equal(isTrained(noCurve), true, 'without a validation curve there is nothing to judge');
});

test('restartUntrained: seed + 1 until trained or maxRestarts spent; the plan and the default model follow the last attempt', async () => {
  // ε = 0.2 fails twice then trains; ε = 0.1 (the default model, N = 64) fails once then trains.
  const outcome = new Map<string, number[]>([[`0.2`, [0.12, 0.2, 0.96]], [`0.1`, [0.1, 0.95]]]);
  const acc = (c: E2ecConfig) => (outcome.get(String(c.eps)) ?? [0.9])[c.seed - eps(0.2).seed] ?? 0.9;
  const first: TrialResult[] = plan.table1.map((t) => fake(t.config, acc(t.config)));
  const asked: number[][] = [];
  const train = async (cs: readonly E2ecConfig[]) => { asked.push(cs.map((c) => c.seed)); return cs.map((c) => fake(c, acc(c))); };

  const once = await restartUntrained(plan, first, { maxRestarts: 1, train });
  assert.deepEqual(asked, [[eps(0.2).seed + 1, eps(0.1).seed + 1]], 'one round, both failing models in one sweep, the default model once');
  assert.equal(once.results.length, 2);
  const e02 = once.plan.table1.find((t) => t.block === 'epsilon' && t.value === 0.2);
  assert.equal(e02?.config.seed, eps(0.2).seed + 1, 'still failing after one restart: the plan points at the last attempt');
  assert.equal(once.plan.main.seed, plan.main.seed + 1, 'the default model is replaced by its restart');
  assert.equal(once.plan.table1.find((t) => t.block === 'N' && t.value === 64)?.config.seed, plan.main.seed + 1, 'N = 64 is the default model too');
  assert.deepEqual(once.attempts.map((a) => [a.value, a.seed - eps(0.2).seed, a.trained]), [[0.2, 0, false], [0.2, 1, false], [0.1, 0, false], [0.1, 1, true]]);
  assert.equal(plan.main.seed, eps(0.2).seed, 'the input plan is not modified');

  asked.length = 0;
  const twice = await restartUntrained(plan, first, { maxRestarts: 2, train });
  assert.deepEqual(asked, [[eps(0.2).seed + 1, eps(0.1).seed + 1], [eps(0.2).seed + 2]], 'the second round retrains only the one still failing');
  assert.equal(twice.attempts.filter((a) => a.value === 0.2).length, 3);

  asked.length = 0;
  const none = await restartUntrained(plan, first, { maxRestarts: 0, train });
  assert.deepEqual(asked, [], 'maxRestarts 0 only reports');
  assert.equal(none.attempts.length, 2, 'ε = 0.2 and the default model (ε = 0.1 and N = 64 are one model, listed once)');
  await assert.rejects(restartUntrained(plan, first, { maxRestarts: -1, train }), /maxRestarts/);

  const rows = restartRows(once.attempts);
  assert.equal(rows[0]['validation ACC at chosen (%)'], 12);
  assert.equal(rows[0].trained, 'no (< 25 %)');
  assert.equal(rows[3].trained, 'yes');
});

test('claims leave out every comparison with a model that did not train, and say so', () => {
  const results: TrialResult[] = [
    ...plan.table1.map((t) => fake(t.config, t.value === 0.2 && t.block === 'epsilon' ? 0.19 : 0.9)),
    ...[...plan.lambdas.map((l) => l.config)].map((c) => ({ ...fake(c, 0.9), chosen: null, curve: [] }) as TrialResult),
    ...[...plan.d2jscc, ...plan.rdbo].map((c) => ({ kind: c.kind, config: c, eval: { correct: new Array(40).fill(1), bits: new Array(40).fill(8) } }) as unknown as TrialResult),
  ];
  const input = claimsInput(results, plan);
  assert.deepEqual(input.table1.map((t) => t.trained), [false, true, true]);
  const cs = claims(input);
  assert.ok(!cs.some((c) => c.id === 'rate-eps'), 'its only pair involves the untrained ε = 0.2 model');
  assert.ok(cs.some((c) => c.id === 'acc-default'), 'the default model trained');
  assert.ok(untestedClaims(input).some((u) => u.startsWith('rate-eps: not tested') && u.includes('both trained')));

  const mainFails = claimsInput(results.map((r) => (r.kind === 'e2ec' && JSON.stringify(r.config) === JSON.stringify(plan.main) ? fake(plan.main, 0.1) : r)), plan);
  const ids = claims(mainFails).map((c) => c.id);
  for (const id of ['acc-default', 'early-bits', 'cross-inner']) {
    assert.ok(!ids.includes(id), `${id} is left out when the default model did not train`);
    assert.ok(untestedClaims(mainFails).some((u) => u.startsWith(`${id}: not tested — the default model did not train`)));
  }
});
