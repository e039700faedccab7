/**
 * The codebook plan (lib/papers/codebook/plan.ts): which models the eq. (21) and entropy sweeps add, that the main K
 * reuses the scheme models (identical configs hit the model cache), and the SNRs each sweep is evaluated at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTrials, type CodebookPlan } from '../../lib/papers/codebook/plan.js';

const plan = (o: Partial<CodebookPlan> = {}): CodebookPlan => ({
  model: { steps: 10, K: 64 },
  eval: { snrsDb: [0, 5, 10, 15, 20, 25, 30], testCount: 8, validationCount: 8, perceptualCount: 4, perceptualAllSnrsDb: [10], draws: 1, usageCount: 8, sampleCount: 2, sampleSnrsDb: [10], codedVq: true, seed: 1 },
  extraKs: [4, 16, 64, 256], entropyKs: [64, 1024, 1024], codecs: [], kSweep: { Ks: [2, 4], trainPatches: 8, validationCount: 8, iters: 1 },
  ...o,
});

test('eq. (21) sizes: the main K is the scheme model; the others at the design SNR only, no perceptual distance', () => {
  const p = planTrials(plan());
  assert.deepEqual(p.extraK.map((c) => c.model.K), [4, 16, 256]);
  for (const c of p.extraK) {
    assert.equal(c.model.scheme, 'proposed');
    assert.deepEqual(c.eval.snrsDb, [10]);
    assert.equal(c.eval.perceptualCount, 0);
    assert.equal(c.eval.codedVq, false);
    // everything but K is the scheme model's training config
    assert.deepEqual({ ...c.model, K: 64 }, p.schemes.proposed.model);
  }
});

test('entropy sweep: plain and + index entropy at each other K (deduplicated), at 10 dB and ≥ 20 dB', () => {
  const p = planTrials(plan());
  assert.deepEqual(p.entropySweep.map((e) => e.K), [1024]);
  const e = p.entropySweep[0];
  assert.equal(e.vqvae.model.lambdaH, 0);
  assert.ok(e.vqvae_entropy.model.lambdaH > 0);
  assert.equal(e.vqvae.model.lambdaC, 0);
  assert.deepEqual({ ...e.vqvae.model, K: 64 }, p.schemes.vqvae.model);
  assert.deepEqual({ ...e.vqvae_entropy.model, K: 64 }, p.schemes.vqvae_entropy.model);
  assert.deepEqual(e.vqvae.eval.snrsDb, [10, 20, 25, 30]);
  assert.deepEqual(planTrials(plan({ entropyKs: [] })).entropySweep, []);
});

test('bad plans are refused with the argument named', () => {
  assert.throws(() => planTrials(plan({ entropyKs: 5 as unknown as number[] })), /entropyKs/);
  assert.throws(() => planTrials(plan({ eval: { ...plan().eval, snrsDb: [0, 30] } })), /design SNR/);
  assert.throws(() => planTrials(plan({ entropyKs: [100] })), /power of two/);
});
