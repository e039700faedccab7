/**
 * Experiment glue for the notebook: which configurations a profile trains and evaluates, the parallel cached
 * runs, and the rows of every figure and table (Figs. 2–4, utilisation, §III-C checks, eq. 21), with the
 * paper's numbers beside ours.
 */
import { fileURLToPath } from 'node:url';
import { assertInteger, cacheDir } from '../../core/index.js';
import { CODEC_NAMES, type CodecName } from '../../codecs/index.js';
import { runSweep } from '../../nn/index.js';
import { indexErrorProbability } from '../../channels/index.js';
import { SCHEME_LABELS, VQ_SCHEMES, designEpsilon, indexBits, vqConfig, type Scheme, type VqModelConfig } from './config.js';
import { fromBase64Rgb, vqSymbolsPerImage, type EvalSettings } from './evaluate.js';
import { renderImageGrid, type RenderedGrid } from '../zepe-hybrid/png.js';
import { errorWeightDistribution, optimalCodebookSize } from './analysis.js';
import type {
  CodebookTrialConfig, CodebookTrialResult, KSweepConfig, KSweepResult, SeparateTrialConfig, SeparateTrialResult,
  VqTrialConfig, VqTrialResult,
} from './trial.js';
import type { ToyResult } from './toy.js';

/** The paper's headline at 10 dB (abstract, §IV): proposed vs VQ-VAE [8]. */
export const PAPER_HEADLINE = { snrDb: 10, psnrGainPct: 24.1, lpipsGainPct: 46.5 } as const;

export type FigureScheme = Scheme | 'jpeg_ldpc' | 'hevc_ldpc';
export const FIGURE_SCHEMES: readonly FigureScheme[] = [...VQ_SCHEMES, 'jpeg_ldpc', 'hevc_ldpc'];
export const FIGURE_LABELS: Readonly<Record<FigureScheme, string>> = {
  ...SCHEME_LABELS, jpeg_ldpc: 'JPEG + LDPC (1/2)', hevc_ldpc: 'HEVC-intra + LDPC (1/2)',
};

/**
 * Vega-Lite legend of the Figs. 3–4 colour channel: the data keep the CSV's scheme keys, the legend shows
 * FIGURE_LABELS (a labelExpr of nested conditionals; Vega's expression language has no map lookup).
 */
export function schemeLegend(): { labelExpr: string; labelLimit: number } {
  const quote = (t: string): string => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const expr = (Object.entries(FIGURE_LABELS) as [string, string][]).reduceRight(
    (rest, [key, label]) => `datum.label === ${quote(key)} ? ${quote(label)} : ${rest}`, 'datum.label');
  return { labelExpr: expr, labelLimit: 320 };
}

export interface CodebookPlan {
  /** Settings shared by every VQ model (the four schemes differ only in λ_H, λ_C). */
  readonly model: Partial<Omit<VqModelConfig, 'scheme' | 'kind'>>;
  readonly eval: EvalSettings;
  /** Further codebook sizes trained with the proposed loss, for the eq. (21) check (may be empty). */
  readonly extraKs: readonly number[];
  readonly codecs: readonly CodecName[];
  readonly kSweep: { readonly Ks: readonly number[]; readonly trainPatches: number; readonly testCount: number; readonly iters: number };
}

export interface PlannedConfigs {
  readonly schemes: Readonly<Record<Scheme, VqTrialConfig>>;
  readonly extraK: readonly VqTrialConfig[];
  readonly separate: readonly SeparateTrialConfig[];
  readonly kSweep: KSweepConfig;
}

export function planConfigs(plan: CodebookPlan): PlannedConfigs {
  const schemes = Object.fromEntries(VQ_SCHEMES.map((s) => [s, { kind: 'vq', model: vqConfig(s, plan.model), eval: plan.eval }])) as Record<Scheme, VqTrialConfig>;
  const extraK = plan.extraKs.map((K) => ({ kind: 'vq' as const, model: vqConfig('proposed', { ...plan.model, K }), eval: { ...plan.eval, codedVq: false } }));
  const main = schemes.proposed.model;
  const separate = plan.codecs.map((codec) => {
    if (!CODEC_NAMES.includes(codec)) throw new RangeError(`codecs must be drawn from ${CODEC_NAMES.join(', ')}, got ${JSON.stringify(codec)}`);
    return { kind: 'separate' as const, codec, patchSize: main.patchSize, symbolsPerImage: vqSymbolsPerImage(main), eval: { ...plan.eval, codedVq: false } };
  });
  const ks = plan.kSweep;
  assertInteger('kSweep.iters', ks.iters, 1);
  return { schemes, extraK, separate, kSweep: { kind: 'ksweep', model: main, Ks: ks.Ks, trainPatches: ks.trainPatches, testCount: ks.testCount, iters: ks.iters, seed: main.seed } };
}

const TRIAL_MODULE = fileURLToPath(new URL('./trial.js', import.meta.url));

/**
 * Runs configurations in parallel worker processes; results cached by config hash (cacheDir('sweeps',
 * 'codebook')), models by their training config (cacheDir('models', 'codebook')). Throws if any failed.
 */
export async function runConfigs(configs: readonly CodebookTrialConfig[], workers?: number, onDone?: (r: CodebookTrialResult, cached: boolean) => void): Promise<CodebookTrialResult[]> {
  const out = await runSweep<CodebookTrialConfig, CodebookTrialResult>({
    module: TRIAL_MODULE, exportName: 'runTrial', configs, workers, cacheDir: cacheDir('sweeps', 'codebook'),
    onResult: (o) => { if (o.ok && onDone) onDone(o.result as CodebookTrialResult, o.cached); },
  });
  const bad = out.filter((o) => !o.ok);
  if (bad.length) throw new Error(`${bad.length} configuration(s) failed: ${bad.map((o) => (o.ok ? '' : `${JSON.stringify(o.config).slice(0, 200)} → ${o.error}`)).join('; ')}`);
  return out.map((o) => (o.ok ? o.result : null) as CodebookTrialResult);
}

function find<R extends CodebookTrialResult>(results: readonly CodebookTrialResult[], config: CodebookTrialConfig): R {
  const key = JSON.stringify(config);
  const r = results.find((x) => JSON.stringify(x.config) === key);
  if (!r) throw new RangeError(`no result for config ${key.slice(0, 200)}`);
  return r as R;
}

/** The results of one plan, by role. */
export interface PlanResults {
  readonly schemes: Readonly<Record<Scheme, VqTrialResult>>;
  readonly extraK: readonly VqTrialResult[];
  readonly separate: Readonly<Partial<Record<CodecName, SeparateTrialResult>>>;
  readonly kSweep: KSweepResult | null;
}

export function collect(results: readonly CodebookTrialResult[], planned: PlannedConfigs, withKSweep = true): PlanResults {
  return {
    schemes: Object.fromEntries(VQ_SCHEMES.map((s) => [s, find<VqTrialResult>(results, planned.schemes[s])])) as Record<Scheme, VqTrialResult>,
    extraK: planned.extraK.map((c) => find<VqTrialResult>(results, c)),
    separate: Object.fromEntries(planned.separate.map((c) => [c.codec, find<SeparateTrialResult>(results, c)])),
    kSweep: withKSweep ? find<KSweepResult>(results, planned.kSweep) : null,
  };
}

const separateKey = (c: CodecName): FigureScheme => (c === 'jpeg' ? 'jpeg_ldpc' : 'hevc_ldpc');

/** Every scheme's points: scheme key, SNR, PSNR and perceptual distance with 95 % intervals. */
export function curveRows(r: PlanResults): {
  scheme: FigureScheme; label: string; snr_db: number; psnr: number; psnr_lo: number; psnr_hi: number;
  perceptual: number | null; perceptual_lo: number | null; perceptual_hi: number | null; errors: number;
}[] {
  const rows: ReturnType<typeof curveRows> = [];
  for (const s of VQ_SCHEMES) {
    for (const p of r.schemes[s].eval.points) {
      rows.push({
        scheme: s, label: FIGURE_LABELS[s], snr_db: p.snrDb, psnr: p.psnr.mean, psnr_lo: p.psnr.lo, psnr_hi: p.psnr.hi,
        perceptual: p.perceptual?.mean ?? null, perceptual_lo: p.perceptual?.lo ?? null, perceptual_hi: p.perceptual?.hi ?? null,
        errors: p.indexErrorRate,
      });
    }
  }
  for (const [codec, res] of Object.entries(r.separate) as [CodecName, SeparateTrialResult][]) {
    const key = separateKey(codec);
    for (const p of res.points) {
      rows.push({
        scheme: key, label: FIGURE_LABELS[key], snr_db: p.snrDb, psnr: p.psnr.mean, psnr_lo: p.psnr.lo, psnr_hi: p.psnr.hi,
        perceptual: p.perceptual?.mean ?? null, perceptual_lo: p.perceptual?.lo ?? null, perceptual_hi: p.perceptual?.hi ?? null,
        errors: 1 - p.successRate,
      });
    }
  }
  return rows;
}

/** figures/codebook/fig4.csv rows: exactly scheme, snr_db, psnr. */
export function fig4Rows(r: PlanResults): { scheme: FigureScheme; snr_db: number; psnr: number }[] {
  return curveRows(r).map((x) => ({ scheme: x.scheme, snr_db: x.snr_db, psnr: x.psnr }));
}

/** figures/codebook/fig3.csv rows: exactly scheme, snr_db, perceptual. */
export function fig3Rows(r: PlanResults): { scheme: FigureScheme; snr_db: number; perceptual: number }[] {
  return curveRows(r).filter((x) => x.perceptual !== null).map((x) => ({ scheme: x.scheme, snr_db: x.snr_db, perceptual: x.perceptual as number }));
}

export interface Headline {
  readonly snrDb: number;
  readonly psnrProposed: number;
  readonly psnrVqvae: number;
  /** (PSNR_prop − PSNR_vq) / PSNR_vq in %. */
  readonly psnrGainPct: number;
  readonly perceptualProposed: number | null;
  readonly perceptualVqvae: number | null;
  /** (d_vq − d_prop) / d_vq in % (lower distance is better). */
  readonly perceptualGainPct: number | null;
}

/** The headline comparison at one SNR (the paper's: 10 dB). */
export function headline(r: PlanResults, snrDb: number = PAPER_HEADLINE.snrDb): Headline {
  const at = (s: Scheme) => {
    const p = r.schemes[s].eval.points.find((x) => x.snrDb === snrDb);
    if (!p) throw new RangeError(`no evaluation at ${snrDb} dB (snrsDb must include it)`);
    return p;
  };
  const a = at('proposed'), b = at('vqvae');
  const pa = a.perceptual?.mean ?? null, pb = b.perceptual?.mean ?? null;
  return {
    snrDb, psnrProposed: a.psnr.mean, psnrVqvae: b.psnr.mean, psnrGainPct: (100 * (a.psnr.mean - b.psnr.mean)) / b.psnr.mean,
    perceptualProposed: pa, perceptualVqvae: pb, perceptualGainPct: pa !== null && pb !== null ? (100 * (pb - pa)) / pb : null,
  };
}

/** Codebook utilisation per scheme: index shares sorted by rank (training patches), and a summary table. */
export function usageRows(r: PlanResults): {
  histogram: { scheme: string; rank: number; share: number }[];
  table: Record<string, string | number>[];
} {
  const histogram: { scheme: string; rank: number; share: number }[] = [];
  const table: Record<string, string | number>[] = [];
  for (const s of VQ_SCHEMES) {
    const u = r.schemes[s].eval.usage;
    const total = u.countsTrain.reduce((a, b) => a + b, 0);
    [...u.countsTrain].sort((a, b) => b - a).forEach((c, i) => histogram.push({ scheme: SCHEME_LABELS[s], rank: i + 1, share: c / total }));
    const K = u.countsTrain.length;
    table.push({
      scheme: SCHEME_LABELS[s], 'λ_H': r.schemes[s].config.model.lambdaH, K,
      'perplexity (train)': Number(u.perplexityTrain.toFixed(2)), 'perplexity (test)': Number(u.perplexityTest.toFixed(2)),
      'H(S) bits (train)': Number(Math.log2(u.perplexityTrain).toFixed(3)), 'log2 K': Math.log2(K),
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

/** How many (scheme, SNR) analytic exact values fall inside the BSC simulation's 95 % interval. */
export function analyticWithinInterval(r: PlanResults): { inside: number; total: number; worstZ: number } {
  let inside = 0, total = 0, worstZ = 0;
  for (const s of VQ_SCHEMES) {
    for (const p of r.schemes[s].eval.points) {
      total++;
      if (p.dchExact >= p.dchBsc.lo && p.dchExact <= p.dchBsc.hi) inside++;
      const half = (p.dchBsc.hi - p.dchBsc.lo) / 2;
      if (half > 0) worstZ = Math.max(worstZ, (1.96 * Math.abs(p.dchBsc.mean - p.dchExact)) / half);
    }
  }
  return { inside, total, worstZ };
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

/**
 * Do the trained models agree with eq. (21)? For each trained K (proposed loss): its own D_q and D_ch(ε_design)
 * per σ², the measured latent distortion through the chain at the design SNR, and its PSNR there and without errors.
 */
export function kAgreementRows(r: PlanResults): Record<string, number>[] {
  const models = [r.schemes.proposed, ...r.extraK].sort((a, b) => a.config.model.K - b.config.model.K);
  return models.map((m) => {
    const cfg = m.config.model;
    const ev = m.eval;
    const p = ev.points.find((x) => x.snrDb === cfg.designSnrDb);
    if (!p) throw new RangeError(`the evaluation SNRs must include the design SNR ${cfg.designSnrDb} dB`);
    const v = ev.latentVariance;
    const dch = indexErrorProbability(indexBits(cfg.K), designEpsilon(cfg.designSnrDb)) * ev.meanSpread;
    return {
      K: cfg.K, 'D_q/σ²': round(ev.clean.dq / v), 'D_ch/σ² (eq. 18, ε design)': round(dch / v),
      'predicted (D_q + D_ch)/σ²': round((ev.clean.dq + dch) / v),
      'measured ‖z − e_ĵ‖²/σ² (chain)': round(p.dtotChain / v),
      'PSNR at design SNR (dB)': Number(p.psnr.mean.toFixed(2)), 'PSNR error-free (dB)': Number(ev.clean.psnr.mean.toFixed(2)),
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
    title: { text: title, subtitle },
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
  return { picture: renderImageGrid({ images: rows, width: P, height: P, channels: 3, scale }), labels };
}
