/**
 * The rows and Vega-Lite specs of the codebook notebook's figures and tables (Figs. 2–4, utilisation, §III-C
 * checks, eq. 21), with a typed row interface per table. Intervals on compared numbers are percentile bootstraps
 * over the per-image scores of the test part of the held-out photos (docs/papers/codebook.md#data).
 */
import type { CodecName } from '../../codecs/index.js';
import { bootstrapMean } from '../../metrics/index.js';
import { indexErrorProbability } from '../../channels/index.js';
import { labelExpr, renderImageGrid, type RenderedGrid, titleBlock } from '../../plot/index.js';
import { SCHEME_LABELS, VQ_SCHEMES, designEpsilon, indexBits, type Scheme } from './config.js';
import { fromBase64Rgb } from './evaluate.js';
import { errorWeightDistribution, optimalCodebookSize } from './analysis.js';
import { validationBestK, type Eq21Scores } from './claims.js';
import type { PlanResults } from './plan.js';
import type { KSweepResult, SeparateTrialResult } from './trial.js';
import type { ToyResult } from './toy.js';

export type FigureScheme = Scheme | 'jpeg_ldpc' | 'hevc_ldpc';
export const FIGURE_SCHEMES: readonly FigureScheme[] = [...VQ_SCHEMES, 'jpeg_ldpc', 'hevc_ldpc'];
export const FIGURE_LABELS: Readonly<Record<FigureScheme, string>> = {
  ...SCHEME_LABELS, jpeg_ldpc: 'JPEG + LDPC (1/2)', hevc_ldpc: 'HEVC-intra + LDPC (1/2)',
};

/**
 * Vega-Lite legend of the Figs. 3–4 colour channel: the data keep the CSV's scheme keys, the legend shows
 * FIGURE_LABELS (a labelExpr of nested conditionals; Vega's expression language has no map lookup). The series
 * order is the rows' (FIGURE_SCHEMES: the proposed scheme first), labels are never truncated (the plot style).
 */
export function schemeLegend(): { labelExpr: string } {
  return { labelExpr: labelExpr(FIGURE_LABELS) };
}

const separateKey = (c: CodecName): FigureScheme => (c === 'jpeg' ? 'jpeg_ldpc' : 'hevc_ldpc');

/** One point of Figs. 3–4: a scheme at one SNR, means over test images with 95 % percentile-bootstrap intervals. */
export type CurveRow = {
  readonly scheme: FigureScheme;
  readonly label: string;
  readonly snr_db: number;
  readonly psnr: number;
  readonly psnr_lo: number;
  readonly psnr_hi: number;
  /** Test images behind the PSNR. */
  readonly n: number;
  /** Perceptual distance on the first perceptualCount test images (first draw), with its interval. */
  readonly perceptual: number | null;
  readonly perceptual_lo: number | null;
  readonly perceptual_hi: number | null;
  readonly n_perceptual: number;
  /** MS-SSIM over every test image (first draw), with its interval: the measure that passes the ladder. */
  readonly msssim: number;
  readonly msssim_lo: number;
  readonly msssim_hi: number;
  /** VQ: index error rate; separate: share of images lost. */
  readonly errors: number;
};

/** A per-item estimate's [mean, lo, hi] (percentile bootstrap, B = 2000, fixed seed). */
function band(values: readonly number[]): [number, number, number] {
  if (values.length < 2) {
    const v = values.length ? values[0] : NaN;
    return [v, v, v];
  }
  const e = bootstrapMean(values);
  return [e.value, e.ci95[0], e.ci95[1]];
}

function curveRow(scheme: FigureScheme, snrDb: number, psnr: readonly number[], perc: readonly number[] | null, perceptualCount: number, errors: number, ms: readonly number[]): CurveRow {
  const [p, plo, phi] = band(psnr);
  const [m, mlo, mhi] = band(ms);
  const pv = perc === null ? null : perc.slice(0, Math.min(perceptualCount, perc.length));
  const [q, qlo, qhi] = pv === null || pv.length === 0 ? [null, null, null] : band(pv);
  return {
    scheme, label: FIGURE_LABELS[scheme], snr_db: snrDb, psnr: p, psnr_lo: plo, psnr_hi: phi, n: psnr.length,
    perceptual: q, perceptual_lo: qlo, perceptual_hi: qhi, n_perceptual: pv?.length ?? 0, msssim: m, msssim_lo: mlo, msssim_hi: mhi, errors,
  };
}

/** Every scheme's points: scheme key, SNR, PSNR and perceptual distance with 95 % intervals over test images. */
export function curveRows(r: PlanResults): CurveRow[] {
  const rows: CurveRow[] = [];
  for (const s of VQ_SCHEMES) {
    const pc = r.schemes[s].config.eval.perceptualCount;
    for (const p of r.schemes[s].eval.points) rows.push(curveRow(s, p.snrDb, p.psnrPerImage, p.perceptualPerImage, pc, p.indexErrorRate, p.msssimPerImage));
  }
  for (const [codec, res] of Object.entries(r.separate) as [CodecName, SeparateTrialResult][]) {
    const key = separateKey(codec);
    for (const p of res.points) rows.push(curveRow(key, p.snrDb, p.psnrPerImage, p.perceptualPerImage, res.config.eval.perceptualCount, 1 - p.successRate, p.msssimPerImage));
  }
  return rows;
}

/** figures/codebook/fig4.csv rows: scheme, snr_db, psnr and its 95 % interval. */
export function fig4Rows(r: PlanResults): { scheme: FigureScheme; snr_db: number; psnr: number; psnr_lo: number; psnr_hi: number }[] {
  return curveRows(r).map((x) => ({ scheme: x.scheme, snr_db: x.snr_db, psnr: x.psnr, psnr_lo: x.psnr_lo, psnr_hi: x.psnr_hi }));
}

/** figures/codebook/fig3.csv rows: scheme, snr_db, MS-SSIM and its 95 % interval (every test image, first draw). */
export function fig3Rows(r: PlanResults): { scheme: FigureScheme; snr_db: number; msssim: number; msssim_lo: number; msssim_hi: number }[] {
  return curveRows(r).map((x) => ({ scheme: x.scheme, snr_db: x.snr_db, msssim: x.msssim, msssim_lo: x.msssim_lo, msssim_hi: x.msssim_hi }));
}

/** figures/codebook/fig3_mobilenet.csv rows: the MobileNetV2 distance (it FAILS the ladder; kept visible) and its 95 % interval. */
export function fig3MobileNetRows(r: PlanResults): { scheme: FigureScheme; snr_db: number; perceptual: number; perceptual_lo: number; perceptual_hi: number }[] {
  return curveRows(r).filter((x) => x.perceptual !== null).map((x) => ({
    scheme: x.scheme, snr_db: x.snr_db, perceptual: x.perceptual as number, perceptual_lo: x.perceptual_lo as number, perceptual_hi: x.perceptual_hi as number,
  }));
}

/** One scheme in the utilisation table. */
export type UsageRow = {
  readonly scheme: string;
  readonly 'λ_H': number;
  readonly K: number;
  readonly 'perplexity (train)': number;
  readonly 'perplexity (test)': number;
  readonly 'H(S) bits (test)': number;
  readonly 'H(S) 95 %': string;
  readonly 'log2 K': number;
  readonly 'dead codes (train)': number;
  readonly 'dead codes (test)': number;
};

/**
 * Codebook utilisation per scheme: index shares sorted by rank (training patches), and a summary table whose
 * H(S) on test images carries a 95 % bootstrap interval over the images.
 */
export function usageRows(r: PlanResults): { histogram: { scheme: string; rank: number; share: number }[]; table: UsageRow[] } {
  const histogram: { scheme: string; rank: number; share: number }[] = [];
  const table: UsageRow[] = [];
  for (const s of VQ_SCHEMES) {
    const u = r.schemes[s].eval.usage;
    const total = u.countsTrain.reduce((a, b) => a + b, 0);
    [...u.countsTrain].sort((a, b) => b - a).forEach((c, i) => histogram.push({ scheme: SCHEME_LABELS[s], rank: i + 1, share: c / total }));
    const K = u.countsTrain.length;
    const [h, hlo, hhi] = band(r.schemes[s].eval.indexBitsPerImage);
    table.push({
      scheme: SCHEME_LABELS[s], 'λ_H': r.schemes[s].config.model.lambdaH, K,
      'perplexity (train)': Number(u.perplexityTrain.toFixed(2)), 'perplexity (test)': Number(u.perplexityTest.toFixed(2)),
      'H(S) bits (test)': Number(h.toFixed(3)), 'H(S) 95 %': `[${hlo.toFixed(3)}, ${hhi.toFixed(3)}]`, 'log2 K': Math.log2(K),
      'dead codes (train)': u.deadTrain, 'dead codes (test)': u.deadTest,
    });
  }
  return { histogram, table };
}

/** Training curves: reconstruction MSE, batch perplexity and L_CA against the step, per scheme. */
export function historyRows(r: PlanResults): { scheme: string; step: number; recon: number; batchPerplexity: number; channelAware: number; entropy: number }[] {
  return VQ_SCHEMES.flatMap((s) => r.schemes[s].history.map((h) => ({
    scheme: SCHEME_LABELS[s], step: h.step, recon: h.recon, batchPerplexity: h.batchPerplexity, channelAware: h.channelAware, entropy: h.entropy,
  })));
}

/** §III-C check: D_ch per latent vector, analytic (exact, eq. 17 approx) and simulated (BSC, 64-QAM chain) with intervals. */
export function channelDistortionRows(r: PlanResults, schemes: readonly Scheme[] = VQ_SCHEMES): {
  scheme: string; snr_db: number; method: string; dch: number; lo: number; hi: number;
}[] {
  return schemes.flatMap((s) => r.schemes[s].eval.points.flatMap((p) => [
    { scheme: SCHEME_LABELS[s], snr_db: p.snrDb, method: 'eq. (18) exact Hamming P(j|k)', dch: p.dchExact, lo: p.dchExact, hi: p.dchExact },
    { scheme: SCHEME_LABELS[s], snr_db: p.snrDb, method: 'eq. (18) random labelling (17)', dch: p.dchApprox, lo: p.dchApprox, hi: p.dchApprox },
    { scheme: SCHEME_LABELS[s], snr_db: p.snrDb, method: 'simulated: BSC(ε)', dch: p.dchBsc.mean, lo: p.dchBsc.lo, hi: p.dchBsc.hi },
    { scheme: SCHEME_LABELS[s], snr_db: p.snrDb, method: 'simulated: 64-QAM Rayleigh chain', dch: p.dchChain.mean, lo: p.dchChain.lo, hi: p.dchChain.hi },
  ]));
}

/** Eq. (15) bars at a few SNRs (m bits) and eq. (16) curves P_e(SNR) for several m. */
export function errorModelRows(m: number, snrsDb: readonly number[], ms: readonly number[]): {
  weights: { snr: string; w: number; probability: number }[];
  pe: { m: string; snr_db: number; pe: number; eps: number }[];
} {
  const weights = snrsDb.flatMap((snr) => Array.from(errorWeightDistribution(m, designEpsilon(snr)), (p, w) => ({ snr: `${snr} dB (ε = ${designEpsilon(snr).toFixed(3)})`, w, probability: p })));
  const pe: { m: string; snr_db: number; pe: number; eps: number }[] = [];
  for (const mm of ms) for (let s = 0; s <= 30; s += 1) pe.push({ m: `m = ${mm} (K = ${2 ** mm})`, snr_db: s, pe: indexErrorProbability(mm, designEpsilon(s)), eps: designEpsilon(s) });
  return { weights, pe };
}

/** Eq. (21) from the Lloyd sweep: K* against ε for each μ (μ in units of the latent variance σ² per bit). */
export function kStarRows(k: KSweepResult, epsGrid: readonly number[], mus: readonly number[]): { eps: number; mu: string; kstar: number; log2kstar: number }[] {
  const pts = k.points.map((p) => ({ K: p.K, dq: p.dq / k.latentVariance, meanSpread: p.meanSpread / k.latentVariance }));
  return mus.flatMap((mu) => epsGrid.map((eps) => {
    const o = optimalCodebookSize(pts, eps, mu);
    return { eps, mu: `μ = ${mu} σ²/bit`, kstar: o.K, log2kstar: Math.log2(o.K) };
  }));
}

/** The objective of eq. (21) against K at a few ε (μ = 0), normalised by σ². */
export function objectiveRows(k: KSweepResult, snrsDb: readonly number[], mu = 0): { K: number; snr: string; dq: number; dch: number; objective: number }[] {
  const pts = k.points.map((p) => ({ K: p.K, dq: p.dq / k.latentVariance, meanSpread: p.meanSpread / k.latentVariance }));
  return snrsDb.flatMap((snr) => optimalCodebookSize(pts, designEpsilon(snr), mu).objectives.map((o) => ({
    K: o.K, snr: `${snr} dB`, dq: o.dq, dch: o.dch, objective: o.objective,
  })));
}

/** One trained codebook size in the eq. (21) table. */
export type KAgreementRow = {
  readonly K: number;
  readonly 'D_q/σ² (validation)': number;
  readonly 'D_ch/σ² (eq. 18, ε design)': number;
  readonly 'eq. (21) objective (D_q + D_ch)/σ²': number;
  readonly 'K* of eq. (21)': string;
  readonly 'measured ‖z − e_ĵ‖²/σ² (chain)': number;
  readonly 'validation PSNR (dB)': number;
  readonly 'chosen on validation': string;
  readonly 'test PSNR (dB)': number;
  readonly 'test PSNR 95 %': string;
  readonly 'PSNR error-free (dB)': number;
};

/**
 * Do the trained models agree with eq. (21)? For each trained K (proposed loss): its own D_q and D_ch(ε_design)
 * per σ² (test latents), the measured latent distortion through the chain at the design SNR, the validation PSNR
 * (on which the best size is chosen) and the test PSNR with its 95 % bootstrap interval.
 */
export function kAgreementRows(r: PlanResults, eq21: Eq21Scores | null): KAgreementRow[] {
  const models = [r.schemes.proposed, ...r.extraK].sort((a, b) => a.config.model.K - b.config.model.K);
  const chosen = eq21 === null ? null : validationBestK(eq21);
  return models.map((res) => {
    const cfg = res.config.model;
    const ev = res.eval;
    const p = ev.points.find((x) => x.snrDb === cfg.designSnrDb);
    const v = ev.validation.points.find((x) => x.snrDb === cfg.designSnrDb);
    if (!p || !v) throw new RangeError(`K = ${cfg.K}: no evaluation at the design SNR ${cfg.designSnrDb} dB (snrsDb must include it)`);
    // eq. (21)'s objective on VALIDATION latents (K* is a choice); the chain's measured distortion on test latents
    const lvv = ev.validation.latentVariance;
    const lv = ev.latentVariance;
    const dch = indexErrorProbability(indexBits(cfg.K), designEpsilon(cfg.designSnrDb)) * ev.meanSpread;
    const [t, tlo, thi] = band(p.psnrPerImage);
    return {
      K: cfg.K, 'D_q/σ² (validation)': round(ev.validation.dq / lvv), 'D_ch/σ² (eq. 18, ε design)': round(dch / lvv),
      'eq. (21) objective (D_q + D_ch)/σ²': round((ev.validation.dq + dch) / lvv), 'K* of eq. (21)': eq21 !== null && cfg.K === eq21.predictedK ? 'yes' : '',
      'measured ‖z − e_ĵ‖²/σ² (chain)': round(p.dtotChain / lv),
      'validation PSNR (dB)': Number(v.psnr.mean.toFixed(2)), 'chosen on validation': cfg.K === chosen ? 'yes' : '',
      'test PSNR (dB)': Number(t.toFixed(2)), 'test PSNR 95 %': `[${tlo.toFixed(2)}, ${thi.toFixed(2)}]`,
      'PSNR error-free (dB)': Number(ev.clean.psnr.mean.toFixed(2)),
    };
  });
}

const round = (v: number) => Number(v.toPrecision(4));

/** The uncoded VQ link beside the same indices LDPC-coded (twice the symbols): PSNR per scheme and path. */
export function codedRows(r: PlanResults): { scheme: string; path: string; snr_db: number; psnr: number }[] {
  return VQ_SCHEMES.flatMap((s) => {
    const ev = r.schemes[s].eval;
    return [
      ...ev.points.map((p) => ({ scheme: SCHEME_LABELS[s], path: `uncoded (${ev.symbolsPerImage} symbols)`, snr_db: p.snrDb, psnr: p.psnr.mean })),
      ...ev.coded.map((p) => ({ scheme: SCHEME_LABELS[s], path: `LDPC 1/2 (${2 * ev.symbolsPerImage} symbols)`, snr_db: p.snrDb, psnr: p.psnr.mean })),
    ];
  });
}

/** Vega-Lite spec for the Fig. 2 toy: Voronoi cells (colour), data (grey dots), codewords (black; dead ones red ×). */
export function voronoiSpec(toys: readonly ToyResult[], grid: number, title: string, subtitle: string): { spec: Record<string, unknown>; rows: Record<string, string | number>[] } {
  const rows: Record<string, string | number>[] = [];
  for (const t of toys) {
    const panel = `λ_H = ${t.lambdaH}: perplexity ${t.perplexity.toFixed(1)}, ${t.dead} dead`;
    const { x0, x1, y0, y1 } = t.extent;
    t.cells.forEach((cell, i) => {
      const r = Math.floor(i / grid), c = i % grid;
      rows.push({ panel, layer: 'cell', x: x0 + ((c + 0.5) / grid) * (x1 - x0), y: y1 - ((r + 0.5) / grid) * (y1 - y0), cell: String(cell) });
    });
    for (let i = 0; i < t.sample.length / 2; i++) rows.push({ panel, layer: 'data', x: t.sample[2 * i], y: t.sample[2 * i + 1], cell: '' });
    for (let k = 0; k < t.counts.length; k++) {
      rows.push({ panel, layer: t.counts[k] > 0 ? 'codeword' : 'dead codeword', x: t.codebook[2 * k], y: t.codebook[2 * k + 1], cell: String(k) });
    }
  }
  const xy = {
    x: { field: 'x', type: 'quantitative', scale: { domain: [toys[0].extent.x0, toys[0].extent.x1], nice: false }, title: 'z₁' },
    y: { field: 'y', type: 'quantitative', scale: { domain: [toys[0].extent.y0, toys[0].extent.y1], nice: false }, title: 'z₂' },
  };
  const spec = {
    title: titleBlock(title, subtitle),
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: toys.map((t) => `λ_H = ${t.lambdaH}: perplexity ${t.perplexity.toFixed(1)}, ${t.dead} dead`) } },
    spec: {
      width: 300, height: 262,
      layer: [
        { transform: [{ filter: "datum.layer === 'cell'" }], mark: { type: 'rect', width: 300 / grid + 0.5, height: 262 / grid + 0.5, opacity: 0.55, strokeWidth: 0 }, encoding: { ...xy, color: { field: 'cell', type: 'nominal', legend: null, scale: { scheme: 'tableau20' } } } },
        { transform: [{ filter: "datum.layer === 'data'" }], mark: { type: 'circle', size: 6, color: '#333', opacity: 0.5 }, encoding: xy },
        { transform: [{ filter: "datum.layer === 'codeword'" }], mark: { type: 'point', shape: 'diamond', filled: true, size: 70, color: 'black' }, encoding: xy },
        { transform: [{ filter: "datum.layer === 'dead codeword'" }], mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: '#d62728' }, encoding: xy },
      ],
    },
    resolve: { scale: { color: 'independent' } },
  };
  return { spec, rows };
}

/**
 * Picture grid: a row of test originals, then each scheme's reconstruction at one SNR (first channel draw).
 * Returns the rendered PNG/SVG and the row labels, top to bottom.
 */
export function sampleGrid(r: PlanResults, snrDb: number, scale = 3): { picture: RenderedGrid; labels: string[] } {
  const first = r.schemes.proposed;
  const P = first.config.model.patchSize;
  const key = String(snrDb);
  const rows: Float32Array[][] = [];
  const labels: string[] = [];
  const split = (s: string) => {
    const x = fromBase64Rgb(s);
    const size = P * P * 3;
    return Array.from({ length: x.length / size }, (_, i) => x.subarray(i * size, (i + 1) * size));
  };
  rows.push(split(first.eval.samples.originals));
  labels.push('original');
  for (const s of VQ_SCHEMES) {
    const b64 = r.schemes[s].eval.samples.bySnr[key];
    if (!b64) throw new RangeError(`no samples at ${snrDb} dB for ${s} (sampleSnrsDb must include it)`);
    rows.push(split(b64));
    labels.push(SCHEME_LABELS[s]);
  }
  for (const [codec, res] of Object.entries(r.separate) as [CodecName, SeparateTrialResult][]) {
    const b64 = res.samples.bySnr[key];
    if (!b64) throw new RangeError(`no samples at ${snrDb} dB for ${codec}`);
    rows.push(split(b64));
    labels.push(FIGURE_LABELS[separateKey(codec)]);
  }
  const columnLabels = rows[0].map((_, i) => `test patch ${i + 1}`);
  return { picture: renderImageGrid({ images: rows, width: P, height: P, channels: 3, scale, rowLabels: labels, columnLabels }), labels };
}

/** One row of the entropy sweep: a model (plain or + index entropy) at one K. */
export type EntropySweepRow = {
  readonly K: number;
  readonly scheme: string;
  readonly 'perplexity (train)': number;
  readonly 'used share (train)': number;
  readonly 'dead codes (train)': number;
  readonly 'H(S) bits (test)': number;
  readonly 'PSNR error-free (dB)': number;
  readonly snr_db: number;
  readonly psnr: number;
  readonly psnr_lo: number;
  readonly psnr_hi: number;
};

/**
 * Plain VQ-VAE against VQ-VAE + index entropy at each swept K: utilisation on training patches (perplexity 2^H,
 * its share of K, dead codes), the test index entropy, and the test PSNR at the given SNRs with 95 % bootstrap
 * intervals over test images (draw-averaged).
 */
export function entropySweepRows(r: PlanResults, snrsDb: readonly number[]): EntropySweepRow[] {
  return r.entropySweep.flatMap((x) => (['vqvae', 'vqvae_entropy'] as const).flatMap((s) => {
    const ev = x[s].eval;
    return ev.points.filter((p) => snrsDb.includes(p.snrDb)).map((p) => {
      const [t, lo, hi] = band(p.psnrPerImage);
      return {
        K: x.K, scheme: SCHEME_LABELS[s], 'perplexity (train)': Number(ev.usage.perplexityTrain.toFixed(1)),
        'used share (train)': Number((ev.usage.perplexityTrain / x.K).toFixed(3)), 'dead codes (train)': ev.usage.deadTrain,
        'H(S) bits (test)': Number(band(ev.indexBitsPerImage)[0].toFixed(3)), 'PSNR error-free (dB)': Number(ev.clean.psnr.mean.toFixed(2)),
        snr_db: p.snrDb, psnr: Number(t.toFixed(2)), psnr_lo: Number(lo.toFixed(2)), psnr_hi: Number(hi.toFixed(2)),
      };
    });
  }));
}

/** The headline (10 dB) both ways: PSNR of every VQ scheme with uncoded indices and with rate-1/2 LDPC-coded ones. */
export function codedHeadlineRows(r: PlanResults, snrDb: number): { scheme: string; path: string; symbols: number; psnr: number; psnr_lo: number; psnr_hi: number }[] {
  return VQ_SCHEMES.flatMap((s) => {
    const ev = r.schemes[s].eval;
    const u = ev.points.find((p) => p.snrDb === snrDb);
    const c = ev.coded.find((p) => p.snrDb === snrDb);
    const row = (path: string, symbols: number, v: readonly number[]) => {
      const [m, lo, hi] = band(v);
      return { scheme: SCHEME_LABELS[s], path, symbols, psnr: Number(m.toFixed(2)), psnr_lo: Number(lo.toFixed(2)), psnr_hi: Number(hi.toFixed(2)) };
    };
    return [
      ...(u ? [row('uncoded', ev.symbolsPerImage, u.psnrPerImage)] : []),
      ...(c ? [row('LDPC 1/2', 2 * ev.symbolsPerImage, c.psnrPerImage)] : []),
    ];
  });
}

/** Figure rows of eq. (21) with the trained codebooks: per K, the validation objective and the test PSNR with its 95 % interval. */
export function eq21TrainedRows(r: PlanResults): { K: number; objective: number; psnr: number; lo: number; hi: number }[] {
  const models = [r.schemes.proposed, ...r.extraK].sort((a, b) => a.config.model.K - b.config.model.K);
  return models.map((res) => {
    const cfg = res.config.model;
    const ev = res.eval;
    const p = ev.points.find((x) => x.snrDb === cfg.designSnrDb);
    if (!p) throw new RangeError(`K = ${cfg.K}: no evaluation at the design SNR ${cfg.designSnrDb} dB (snrsDb must include it)`);
    const dch = indexErrorProbability(indexBits(cfg.K), designEpsilon(cfg.designSnrDb)) * ev.meanSpread;
    const [t, lo, hi] = band(p.psnrPerImage);
    return { K: cfg.K, objective: (ev.validation.dq + dch) / ev.validation.latentVariance, psnr: t, lo, hi };
  });
}
