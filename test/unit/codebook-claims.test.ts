/**
 * The codebook paper's claims on synthetic per-image results with a known answer: for every claim, inputs for which
 * the verdict rule (lib/workbook/verdict.ts) gives each verdict it allows, and the claimed numbers checked against
 * an independent computation (plain means of the synthetic arrays: mean(a)/mean(b) − 1, mean(a − b)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DCH_TOLERANCE_SDS, chosenPerceptual, claims, underUsedK, validationBestK, type CodebookResults, type EntropySizeScores, type Eq21Scores,
  type LadderVerdict, type SchemeScores,
} from '../../lib/papers/codebook/claims.js';
import type { Scheme } from '../../lib/papers/codebook/config.js';

const N = 120;
const SNRS = [0, 10, 20, 30];
const idx = Array.from({ length: N }, (_, i) => i);
/** An image's "difficulty": the shared part of every scheme's PSNR (so paired differences are tight). */
const base = idx.map((i) => 12 + 3 * Math.sin(i));
/** Zero-mean-ish per-image noise, different per stream. */
const noise = (k: number, amp = 0.2) => idx.map((i) => amp * Math.cos(i * 7.31 + k * 1.7));
const add = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v + b[i]);
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;

type Offsets = Partial<Record<Scheme, (snr: number) => number>>;

interface Opts {
  /** PSNR of each scheme = base + offset(snr) + its noise (plain VQ-VAE: base exactly). */
  offsets?: Offsets;
  /** Proposed PSNR at 10 dB = factor × plain's (overrides the offset there). */
  headlineFactor?: number;
  /** Proposed perceptual distance at 10 dB = factor × plain's. */
  perceptualFactor?: number;
  indexBits?: Partial<Record<Scheme, number>>;
  /** Share of test images received whole at the lowest and the highest SNR. */
  cliff?: [number, number];
  /** Simulated D_ch = exact + shift · sd/√n. */
  dchShift?: number;
  eq21?: Eq21Scores | null;
  /** Proposed (1 − MS-SSIM) at 10 dB = factor × plain's. */
  msssimFactor?: number;
  /** Proposed LDPC-coded PSNR at 10 dB = factor × plain's (absent: no coded path). */
  codedFactor?: number;
  /** Default: the MobileNetV2 distance passes the ladder. */
  ladder?: LadderVerdict[];
  entropySweep?: EntropySizeScores[];
}

const SCHEMES: Scheme[] = ['proposed', 'vqvae_entropy', 'vqvae_channel_aware', 'vqvae'];

function results(o: Opts = {}): CodebookResults {
  const vqPerc = idx.map((i) => 0.3 + 0.05 * Math.sin(2 * i));
  const schemes = Object.fromEntries(SCHEMES.map((s, k): [Scheme, SchemeScores] => [s, {
    points: SNRS.map((snr) => {
      let psnr = s === 'vqvae' ? base : add(add(base, noise(k)), base.map(() => o.offsets?.[s]?.(snr) ?? 0));
      if (s === 'proposed' && snr === 10 && o.headlineFactor !== undefined) psnr = add(base.map((v) => o.headlineFactor! * v), noise(9));
      const perceptual = snr !== 10 ? null
        : s === 'proposed' ? add(vqPerc.map((v) => (o.perceptualFactor ?? 1) * v), noise(11, 0.01)) : vqPerc;
      const vqMs = idx.map((i) => 0.6 + 0.1 * Math.cos(3 * i));
      const msssim = snr === 10 && s === 'proposed' ? vqMs.map((v) => 1 - (o.msssimFactor ?? 1) * (1 - v)) : vqMs;
      return { snrDb: snr, psnr, perceptual, msssim };
    }),
    coded: o.codedFactor === undefined ? [] : [{ snrDb: 10, psnr: s === 'proposed' ? add(base.map((v) => o.codedFactor! * v), noise(13)) : base }],
    indexBits: add(idx.map(() => o.indexBits?.[s] ?? 5), s === 'vqvae' ? idx.map(() => 0) : noise(20 + k, 0.3)),
  }])) as Record<Scheme, SchemeScores>;
  const [lo, hi] = o.cliff ?? [0, 1];
  const received = (share: number) => idx.map((i) => (i < Math.round(share * N) ? 1 : 0));
  return {
    testCount: N, headlineSnrDb: 10, schemes,
    separate: [{ codec: 'jpeg', points: [{ snrDb: 0, received: received(lo) }, { snrDb: 30, received: received(hi) }] }],
    dch: [{ scheme: 'proposed', snrDb: 10, exact: 0.5, sd: 0.4, simulated: 0.5 + ((o.dchShift ?? 0) * 0.4) / Math.sqrt(N * 64), n: N * 64 }],
    eq21: o.eq21 === undefined ? null : o.eq21,
    ladder: o.ladder ?? [{ measure: 'MobileNetV2', passes: true }, { measure: 'MS-SSIM', passes: true }],
    entropySweep: o.entropySweep ?? [],
  };
}

/** B = 400 keeps the file fast; none of the cases sits near an interval's edge. */
const B = { resamples: 400 };
const claim = (r: CodebookResults, id: string) => {
  const c = claims(r, B).find((x) => x.id === id);
  assert.ok(c, `claim ${id} missing`);
  return c;
};

test('headline-psnr: relative gain of mean PSNRs, reproduced only when the interval contains 24.1 %', () => {
  const r = results({ headlineFactor: 1.241 });
  const c = claim(r, 'headline-psnr');
  const a = r.schemes.proposed.points[1].psnr, b = r.schemes.vqvae.points[1].psnr;
  assert.ok(Math.abs(c.ours - (mean(a) / mean(b) - 1)) < 1e-12, `${c.ours}`);
  assert.equal(c.paper, 0.241);
  assert.equal(c.n, N);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ headlineFactor: 1.1 }), 'headline-psnr').verdict, 'partly');
  // overshoot is no longer counted as success
  assert.equal(claim(results({ headlineFactor: 1.4 }), 'headline-psnr').verdict, 'partly');
  assert.equal(claim(results({ headlineFactor: 1 }), 'headline-psnr').verdict, 'not reproduced');
  assert.equal(claim(results({ headlineFactor: 0.9 }), 'headline-psnr').verdict, 'not reproduced');
});

test('headline-perceptual: relative change of the mean distance against −46.5 %', () => {
  const r = results({ perceptualFactor: 1 - 0.465 });
  const c = claim(r, 'headline-perceptual');
  const a = r.schemes.proposed.points[1].perceptual!, b = r.schemes.vqvae.points[1].perceptual!;
  assert.ok(Math.abs(c.ours - (mean(a) / mean(b) - 1)) < 1e-12);
  assert.equal(c.paper, -0.465);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ perceptualFactor: 0.8 }), 'headline-perceptual').verdict, 'partly');
  assert.equal(claim(results({ perceptualFactor: 1.2 }), 'headline-perceptual').verdict, 'not reproduced');
});

test('headline-perceptual needs the distance of every test image at the headline SNR', () => {
  const r = results();
  const bad: CodebookResults = {
    ...r, schemes: { ...r.schemes, vqvae: { ...r.schemes.vqvae, points: r.schemes.vqvae.points.map((p) => ({ ...p, perceptual: p.perceptual?.slice(0, 10) ?? null })) } },
  };
  assert.throws(() => claims(bad, B), /perceptualAllSnrsDb/);
});

test('ablation-ca: channel-aware above plain at every SNR ≤ 10 dB', () => {
  const r = results({ offsets: { vqvae_channel_aware: () => 1 } });
  const c = claim(r, 'ablation-ca');
  assert.deepEqual(c.parts.map((p) => p.label), ['0 dB', '10 dB']);
  const d0 = mean(r.schemes.vqvae_channel_aware.points[0].psnr) - mean(r.schemes.vqvae.points[0].psnr);
  assert.ok(Math.abs(c.parts[0].ours - d0) < 1e-12);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ offsets: { vqvae_channel_aware: (s) => (s === 0 ? 1 : -1) } }), 'ablation-ca').verdict, 'partly');
  assert.equal(claim(results({ offsets: { vqvae_channel_aware: () => -1 } }), 'ablation-ca').verdict, 'not reproduced');
});

test('ablation-entropy: index entropy above plain at every SNR ≥ 20 dB', () => {
  assert.equal(claim(results({ offsets: { vqvae_entropy: () => 0.5 } }), 'ablation-entropy').verdict, 'reproduced');
  const c = claim(results({ offsets: { vqvae_entropy: (s) => (s === 30 ? 0.5 : -0.5) } }), 'ablation-entropy');
  assert.deepEqual(c.parts.map((p) => p.label), ['20 dB', '30 dB']);
  assert.equal(c.verdict, 'partly');
  assert.equal(claim(results({ offsets: { vqvae_entropy: () => -0.5 } }), 'ablation-entropy').verdict, 'not reproduced');
});

test('proposed-best: proposed above each other scheme at every SNR', () => {
  const c = claim(results({ offsets: { proposed: () => 2, vqvae_entropy: () => 1, vqvae_channel_aware: () => 1 } }), 'proposed-best');
  assert.equal(c.parts.length, SNRS.length * 3);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ offsets: { proposed: () => 1, vqvae_entropy: () => 2 } }), 'proposed-best').verdict, 'partly');
  assert.equal(claim(results({ offsets: { proposed: () => -1 } }), 'proposed-best').verdict, 'not reproduced');
});

test('utilisation: index entropy H(S) above plain for proposed and + index entropy', () => {
  const r = results({ indexBits: { proposed: 5.6, vqvae_entropy: 5.4 } });
  const c = claim(r, 'utilisation');
  assert.ok(Math.abs(c.parts[0].ours - (mean(r.schemes.proposed.indexBits) - mean(r.schemes.vqvae.indexBits))) < 1e-12);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ indexBits: { proposed: 5.6, vqvae_entropy: 4.6 } }), 'utilisation').verdict, 'partly');
  assert.equal(claim(results({ indexBits: { proposed: 4.5, vqvae_entropy: 4.5 } }), 'utilisation').verdict, 'not reproduced');
});

test('cliff: no image arrives at the lowest SNR (reference: the share at the highest)', () => {
  const c = claim(results({ cliff: [0, 1] }), 'cliff');
  assert.equal(c.ours, 0);
  assert.equal(c.verdict, 'reproduced');
  const p = claim(results({ cliff: [0.2, 1] }), 'cliff');
  assert.ok(Math.abs(p.ours - 0.2) < 1e-12);
  assert.equal(p.verdict, 'partly');
  assert.equal(claim(results({ cliff: [1, 1] }), 'cliff').verdict, 'not reproduced');
});

test('dch-analytic is an identity check within the Monte-Carlo tolerance', () => {
  const ok = claim(results({ dchShift: 1 }), 'dch-analytic');
  assert.equal(ok.kind, 'identity');
  assert.equal(ok.verdict, 'passed');
  assert.equal(claim(results({ dchShift: DCH_TOLERANCE_SDS * 2 }), 'dch-analytic').verdict, 'failed');
});

test('eq21: K* against each other trained size on test; the best size is chosen on validation', () => {
  const sizes = (d64: number, d256: number): Eq21Scores => ({
    designSnrDb: 10, predictedK: 16, lloydK: 16,
    sizes: [
      { K: 16, validationPsnr: 15, testPsnr: add(base, noise(30)) },
      { K: 64, validationPsnr: 15.5, testPsnr: add(base, idx.map(() => d64)) },
      { K: 256, validationPsnr: 14, testPsnr: add(base, idx.map(() => d256)) },
    ],
  });
  const e = sizes(-1, -1);
  assert.equal(validationBestK(e), 64);
  const c = claim(results({ eq21: e }), 'eq21');
  assert.deepEqual(c.parts.map((p) => p.label), ['K* = 16 vs K = 64 (validation best)', 'K* = 16 vs K = 256']);
  assert.ok(Math.abs(c.parts[0].ours - (mean(e.sizes[0].testPsnr) - mean(e.sizes[1].testPsnr))) < 1e-12);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ eq21: sizes(1, -1) }), 'eq21').verdict, 'partly');
  assert.equal(claim(results({ eq21: sizes(1, 1) }), 'eq21').verdict, 'not reproduced');
  assert.equal(claims(results({ eq21: null }), B).some((x) => x.id === 'eq21'), false);
});

test('every claim carries a source, a method and the test count', () => {
  const cs = claims(results({ eq21: { designSnrDb: 10, predictedK: 16, lloydK: 16, sizes: [{ K: 16, validationPsnr: 1, testPsnr: base }, { K: 64, validationPsnr: 0, testPsnr: add(base, noise(3)) }] } }), B);
  assert.deepEqual(cs.map((c) => c.id), ['headline-psnr', 'headline-perceptual', 'ablation-ca', 'ablation-entropy', 'proposed-best', 'utilisation', 'cliff', 'dch-analytic', 'eq21']);
  for (const c of cs) {
    assert.ok(c.source.length > 0 && c.method.length > 0, c.id);
    assert.equal(c.n, N, c.id);
  }
});

test('headline-perceptual follows the ladder: 1 − MS-SSIM when the MobileNetV2 distance fails, no claim when nothing passes', () => {
  const ladder: LadderVerdict[] = [{ measure: 'MobileNetV2', passes: false }, { measure: 'MS-SSIM', passes: true }];
  assert.equal(chosenPerceptual(ladder), 'MS-SSIM');
  const r = results({ ladder, msssimFactor: 1 - 0.465, perceptualFactor: 2 });
  const c = claim(r, 'headline-perceptual');
  const d = (a: readonly number[]) => a.map((v) => 1 - v);
  assert.ok(Math.abs(c.ours - (mean(d(r.schemes.proposed.points[1].msssim)) / mean(d(r.schemes.vqvae.points[1].msssim)) - 1)) < 1e-12);
  assert.match(c.statement, /MS-SSIM/);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ ladder, msssimFactor: 1.3 }), 'headline-perceptual').verdict, 'not reproduced');
  const none: LadderVerdict[] = [{ measure: 'MobileNetV2', passes: false }, { measure: 'MS-SSIM', passes: false }];
  assert.equal(chosenPerceptual(none), null);
  assert.equal(claims(results({ ladder: none }), B).some((x) => x.id === 'headline-perceptual'), false);
});

test('headline-psnr-coded: the relative gain with LDPC-coded indices, only when the coded path was evaluated', () => {
  const r = results({ codedFactor: 1.241 });
  const c = claim(r, 'headline-psnr-coded');
  assert.ok(Math.abs(c.ours - (mean(r.schemes.proposed.coded[0].psnr) / mean(r.schemes.vqvae.coded[0].psnr) - 1)) < 1e-12);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ codedFactor: 1 }), 'headline-psnr-coded').verdict, 'not reproduced');
  assert.equal(claims(results(), B).some((x) => x.id === 'headline-psnr-coded'), false);
});

test('ablation-entropy-large-k: decided at the size where plain VQ-VAE uses the smallest share of its codebook', () => {
  const pts = (off: number) => SNRS.map((snr) => ({ snrDb: snr, psnr: add(base, idx.map(() => off)) }));
  const sweep = (gain1024: number): EntropySizeScores[] => [
    { K: 64, plainPerplexityTrain: 50, plain: pts(0), entropy: pts(-0.5) },
    { K: 1024, plainPerplexityTrain: 200, plain: pts(0), entropy: SNRS.map((snr) => ({ snrDb: snr, psnr: add(add(base, noise(40)), idx.map(() => gain1024)) })) },
  ];
  assert.equal(underUsedK(sweep(1)), 1024);
  const c = claim(results({ entropySweep: sweep(1) }), 'ablation-entropy-large-k');
  assert.deepEqual(c.parts.map((p) => p.label), ['K = 1024, 20 dB', 'K = 1024, 30 dB']);
  assert.ok(Math.abs(c.parts[0].ours - (mean(sweep(1)[1].entropy[2].psnr) - mean(base))) < 1e-12);
  assert.equal(c.verdict, 'reproduced');
  assert.equal(claim(results({ entropySweep: sweep(-1) }), 'ablation-entropy-large-k').verdict, 'not reproduced');
  assert.equal(claims(results(), B).some((x) => x.id === 'ablation-entropy-large-k'), false);
  assert.throws(() => underUsedK([]), /entropySweep/);
});
