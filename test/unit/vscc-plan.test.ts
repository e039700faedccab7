/**
 * The VSCC plan's training seeds: the CMC grid with the first seed, VAE and AE with every seed, the chosen CMC's seed
 * replicates after the choice, one warm start per seed — the paper's k/n with four stages on 32×32 patches, and the
 * from-scratch models of the −15 dB check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SCRATCH_CMC, bandwidthRatio, latentSide, meanColourPsnr, planTrials, replicateTrials, scratchRows, scratchSentence, scratchTrials, validateArch,
  type TrialResult, type VsccPlan,
} from '../../lib/papers/vscc/index.js';

const plan: VsccPlan = {
  arch: { imageSize: 32, baseChannels: 8, stageChannels: [8, 16, 32, 64], latentChannels: 16, encoderBottleneckBlocks: 1, decoderBottleneckBlocks: 1, decoderRefineBlocks: 1, groups: 8, attention: true },
  steps: 5, batchSize: 4, lr: 1e-3, trainCount: 64, decoderSigma: 0.1, trainSeeds: [1, 2, 3], trainSnrsDb: [-5, 5, 15], cmcs: [1, 2, 5, 10, 15],
  testSnrsDb: [-5, 5, 15, 25], resamplings: 2, testCount: 10, validationCount: 8, kbCount: 8, evalSeed: 1001, examples: 0,
  warmStartSteps: 3, warmStartLr: 3e-3, lrWarmupSteps: 2,
};

test('planTrials: the CMC grid with the first seed, VAE and AE with every seed, one warm start per seed', () => {
  const p = planTrials(plan);
  const vscc = p.filter((t) => t.method === 'vscc');
  assert.equal(vscc.length, 15);
  assert.ok(vscc.every((t) => t.seed === 1 && t.trial.model.seed === 1 && t.trial.eval.validationCount === 8));
  for (const m of ['vae', 'ae'] as const) {
    const ts = p.filter((t) => t.method === m);
    assert.equal(ts.length, 9);
    assert.deepEqual([...new Set(ts.map((t) => t.trial.model.seed))], [1, 2, 3]);
    assert.ok(ts.every((t) => t.trial.eval.validationCount === 0));
  }
  // seed s's models share the warm start of seed s + 7; three warm starts in all
  assert.ok(p.every((t) => t.trial.model.warmStart?.seed === t.seed + 7));
  assert.deepEqual([...new Set(p.map((t) => t.trial.model.warmStart?.seed as number))].sort((a, b) => a - b), [8, 9, 10]);
  assert.throws(() => planTrials({ ...plan, trainSeeds: [] }), /trainSeeds/);
  assert.throws(() => planTrials({ ...plan, trainSeeds: [1, 1] }), /trainSeeds/);
});

test('replicateTrials: the chosen CMC of each training SNR, retrained with the other seeds, tested on the test split', () => {
  const p = planTrials(plan);
  const chosen: Record<number, number> = { [-5]: 10, 5: 5, 15: 2 };
  const r = replicateTrials(p, plan.trainSeeds, (t) => chosen[t]);
  assert.equal(r.length, 3 * 2);
  for (const t of r) {
    assert.equal(t.method, 'vscc');
    assert.equal(t.cmc, chosen[t.trainSnrDb]);
    assert.equal(t.trial.model.cmc, chosen[t.trainSnrDb]);
    assert.ok(t.seed === 2 || t.seed === 3);
    assert.equal(t.trial.model.seed, t.seed);
    assert.equal(t.trial.model.warmStart?.seed, t.seed + 7);
    assert.equal(t.trial.eval.validationCount, 0);
    assert.deepEqual(t.trial.eval.validationSnrsDb, []);
    // everything else as the grid model of that SNR and CMC
    const g = p.find((x) => x.method === 'vscc' && x.trainSnrDb === t.trainSnrDb && x.cmc === t.cmc);
    assert.deepEqual({ ...t.trial.model, seed: 1, warmStart: g?.trial.model.warmStart }, g?.trial.model);
  }
  assert.deepEqual(replicateTrials(p, [1], (t) => chosen[t]), []);
  assert.throws(() => replicateTrials(p, plan.trainSeeds, () => 7), /no grid model for VSCC d = 7/);
});

test('four stages on 32×32 patches: a 2×2×16 latent, the paper\'s k/n = 0.0208; GroupNorm groups divide every width', () => {
  const m = planTrials(plan)[0].trial.model;
  assert.equal(latentSide(m), 2);
  assert.equal(bandwidthRatio(m), (2 * 2 * 16) / (32 * 32 * 3));
  assert.equal(bandwidthRatio(m), (16 * 16 * 16) / (256 * 256 * 3));
  assert.doesNotThrow(() => validateArch({ ...m, baseChannels: 4, stageChannels: [4, 8, 16, 32], groups: 4 }));
  assert.throws(() => validateArch({ ...m, stageChannels: [8, 16, 32, 36] }), /groups \(8\) must divide every width/);
});

test('scratchTrials: VSCC from scratch at each SNR of scratchSnrsDb for the warm start + own-loss steps; none by default', () => {
  assert.deepEqual(scratchTrials(plan), []);
  assert.deepEqual(scratchTrials({ ...plan, scratchSnrsDb: [] }), []);
  const s = scratchTrials({ ...plan, scratchSnrsDb: [-15, -5] });
  assert.deepEqual(s.map((t) => [t.trainSnrDb, t.cmc, t.seed]), [[-15, SCRATCH_CMC, 1], [-5, SCRATCH_CMC, 1]]);
  for (const t of s) {
    assert.equal(t.trial.model.warmStart, null);
    assert.equal(t.trial.model.steps, plan.warmStartSteps + plan.steps);
    assert.equal(t.trial.model.lr, plan.lr);
    assert.deepEqual(t.trial.eval.testSnrsDb, [-15, -5]);
    assert.deepEqual([t.trial.eval.validationCount, t.trial.eval.examples, t.trial.eval.tests], [0, 0, ['fixed']]);
  }
  assert.equal(scratchTrials({ ...plan, scratchSnrsDb: [-15], scratchCmc: 2 })[0].cmc, 2);
  assert.throws(() => scratchTrials({ ...plan, scratchSnrsDb: [-15, -15] }), /repeat/);
  assert.throws(() => scratchTrials({ ...plan, scratchSnrsDb: [-99] }), /scratchSnrsDb\[0\]/);
});

test('meanColourPsnr and scratchRows: the mean-colour baseline per patch, and the model − baseline rows', () => {
  // two 2×2 patches: flat 0.5 (colour 0.5 → infinite PSNR is avoided by using 0.4) and flat 0.7
  const x = new Float32Array(24);
  x.fill(0.5, 0, 12);
  x.fill(0.7, 12, 24);
  const test = { x, n: 2, size: 2 };
  const base = meanColourPsnr(test, [0.4, 0.4, 0.4]);
  assert.ok(Math.abs(base[0] - 20) < 1e-4 && Math.abs(base[1] - 10 * Math.log10(1 / 0.09)) < 1e-4, `${base}`);
  const curve = { testSnrDb: -15, psnrMean: 25, psnrMin: 25, psnrMax: 25, ssimMean: 0.5, ssimMin: 0.5, ssimMax: 0.5, psnr: [24, 26], ssim: [0.5, 0.5] };
  const r = {
    config: { model: { trainSnrDb: -15, steps: 8 } }, curves: { fixed: [curve] },
    train: { lossCurve: [{ step: 4, loss: 100 }, { step: 8, loss: 50 }] },
  } as unknown as TrialResult;
  const [row] = scratchRows([r], test, [0.4, 0.4, 0.4], 200);
  assert.equal(row.psnr_mean, 25);
  assert.ok(Math.abs(row.gain_db - (25 - (base[0] + base[1]) / 2)) < 1e-9);
  assert.deepEqual([row.loss_first, row.loss_last, row.steps, row.n], [100, 50, 8, 2]);
  assert.match(scratchSentence([row]), /trained at -15 dB and tested there, PSNR 25\.00 \[/);
});
