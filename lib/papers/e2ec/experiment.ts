/**
 * Experiment glue for the notebook: the sweep plan of each profile, the parallel cached runs, and the rows of
 * every figure and table (Fig. 2(a)–(f), Table I, ablation), with the paper's numbers beside ours.
 */
import { fileURLToPath } from 'node:url';
import { assertInteger, cacheDir } from '../../core/index.js';
import { runSweep } from '../../nn/index.js';
import { d2jsccConfig, e2ecConfig, rdboConfig, type AnyConfig, type E2ecConfig, type TrainSettings } from './config.js';
import { lengthClassBias } from './evaluate.js';
import type { BaselineTrialResult, E2ecTrialResult, TrialResult } from './trial.js';

/** Table I of the paper (NOTES §C5): rate counts l + 1 bits; accuracy in %, ± = 95 % normal interval. */
export const PAPER_TABLE1 = {
  epsilon: [
    { value: 0.2, rate: 57.79, accuracy: 98.02 }, { value: 0.1, rate: 48.22, accuracy: 97.97 },
    { value: 0.01, rate: 39.37, accuracy: 98.18 }, { value: 0.001, rate: 37.84, accuracy: 98.41 },
  ],
  N: [
    { value: 8, rate: 7.2, accuracy: 92.64 }, { value: 16, rate: 15.65, accuracy: 95.56 },
    { value: 32, rate: 27.23, accuracy: 97.72 }, { value: 64, rate: 48.22, accuracy: 97.97 },
  ],
} as const;

/** Paper's Fig. 2(f) numbers: max |⟨v_i^(0), v_i^(1)⟩| at initialisation and at convergence. */
export const PAPER_CROSS_INNER = { init: 0.1718, final: 0.048 } as const;

export interface ExperimentPlan {
  /** Shared E2EC settings (architecture, training budget); the sweeps vary ε, N, λ, baseline and grounding. */
  readonly e2ec: Partial<E2ecConfig>;
  /** Training settings of the baselines (batch size, lr and seed are the authors' unless overridden). */
  readonly baselines: Partial<TrainSettings> & { readonly hidden?: readonly [number, number] };
  readonly epsilons: readonly number[];
  readonly lengths: readonly number[];
  readonly lambdas: readonly number[];
  readonly ds: readonly number[];
  readonly betas: readonly number[];
  /** Steps of the λ-sweep models (Fig. 2(a)–(d)); Table I's models train `e2ec.steps`. */
  readonly sweepSteps: number;
  /** Fine-tune steps of the λ-sweep models (default: those of `e2ec`). */
  readonly sweepFineTuneSteps?: number;
  /** ε values at which the trunk-layout study retrains Table I's models with the other layout (default: all of `epsilons`). */
  readonly trunkEpsilons?: readonly number[];
  /** Steps of the ablation models (they are compared with the default model's trajectory at equal steps). */
  readonly ablationSteps: number;
}

export interface PlannedConfigs {
  readonly table1: { block: 'epsilon' | 'N'; value: number; config: E2ecConfig }[];
  readonly lambdas: { lambda: number; config: E2ecConfig }[];
  readonly ablation: { variant: string; config: E2ecConfig }[];
  /** The ε block of Table I again with the other trunk layout (shared ↔ separate length-net trunk). */
  readonly trunk: { eps: number; config: E2ecConfig }[];
  readonly d2jscc: AnyConfig[];
  readonly rdbo: AnyConfig[];
  /** The default model: N = 64, ε = 0.1, λ = 1e-6 (the paper's defaults). */
  readonly main: E2ecConfig;
}

export function planConfigs(plan: ExperimentPlan): PlannedConfigs {
  const main = e2ecConfig(plan.e2ec);
  const table1 = [
    ...plan.epsilons.map((eps) => ({ block: 'epsilon' as const, value: eps, config: e2ecConfig({ ...plan.e2ec, eps }) })),
    ...plan.lengths.map((n) => ({ block: 'N' as const, value: n, config: e2ecConfig({ ...plan.e2ec, maxLength: n }) })),
  ];
  assertInteger('sweepSteps', plan.sweepSteps, 1);
  assertInteger('ablationSteps', plan.ablationSteps, 1);
  const sweepFineTune = plan.sweepFineTuneSteps ?? plan.e2ec.fineTuneSteps;
  if (sweepFineTune !== undefined) assertInteger('sweepFineTuneSteps', sweepFineTune, 0);
  const lambdas = plan.lambdas.map((lambda) => ({ lambda, config: e2ecConfig({ ...plan.e2ec, lambda, steps: plan.sweepSteps, ...(sweepFineTune === undefined ? {} : { fineTuneSteps: sweepFineTune }) }) }));
  const ab: Partial<E2ecConfig> = { ...plan.e2ec, steps: plan.ablationSteps, fineTuneSteps: 0, samples: 1, baseline: 'aux', grounding: true }; // the authors' estimator
  const ablation = [
    { variant: 'authors (aux baseline + grounding)', config: e2ecConfig(ab) },
    { variant: 'no variance-reduction baseline', config: e2ecConfig({ ...ab, baseline: 'none' }) },
    { variant: 'no grounding (batch-mean baseline)', config: e2ecConfig({ ...ab, grounding: false, baseline: 'batchMean' }) },
  ];
  const trunkEps = plan.trunkEpsilons ?? plan.epsilons;
  trunkEps.forEach((e, i) => {
    if (!plan.epsilons.includes(e)) throw new RangeError(`trunkEpsilons[${i}] must be one of epsilons (${plan.epsilons.join(', ')}): the study compares with Table I's model at that ε, got ${e}`);
  });
  const trunk = trunkEps.map((eps) => ({ eps, config: e2ecConfig({ ...plan.e2ec, eps, sharedTrunk: !main.sharedTrunk }) }));
  const b = plan.baselines;
  return {
    table1, lambdas, ablation, trunk, main,
    d2jscc: plan.ds.map((d) => d2jsccConfig({ ...b, d })),
    rdbo: plan.betas.map((beta) => rdboConfig({ ...b, beta })),
  };
}

const TRIAL_MODULE = fileURLToPath(new URL('./trial.js', import.meta.url));

/**
 * Trains/evaluates configurations in parallel worker processes (one per core); results are cached by config hash
 * (cacheDir('sweeps', 'e2ec')) and models by config hash (cacheDir('models', 'e2ec')). Throws if any failed.
 */
export async function runConfigs<R extends TrialResult>(configs: readonly AnyConfig[], workers?: number, onDone?: (r: TrialResult, cached: boolean) => void): Promise<R[]> {
  const out = await runSweep<AnyConfig, TrialResult>({
    module: TRIAL_MODULE, exportName: 'runTrial', configs, workers, cacheDir: cacheDir('sweeps', 'e2ec'),
    onResult: (o) => { if (o.ok && onDone) onDone(o.result as TrialResult, o.cached); },
  });
  const bad = out.filter((o) => !o.ok);
  if (bad.length) throw new Error(`${bad.length} configuration(s) failed: ${bad.map((o) => (o.ok ? '' : `${JSON.stringify(o.config)} → ${o.error}`)).join('; ')}`);
  return out.map((o) => (o.ok ? o.result : null) as R);
}

/** Same model, same numbers: find a result by its config (deep equality through JSON). */
export function resultFor<R extends TrialResult>(results: readonly TrialResult[], config: AnyConfig): R {
  const key = JSON.stringify(config);
  const r = results.find((x) => JSON.stringify(x.config) === key);
  if (!r) throw new RangeError(`no result for config ${key}`);
  return r as R;
}

const pct = (v: number) => Math.round(v * 10000) / 100;

/** Table I rows for figures/e2ec/table1.csv: block, value, rate_bits (l + 1 sent), accuracy in [0, 1]. */
export function table1Rows(results: readonly TrialResult[], planned: PlannedConfigs): { block: string; value: number; rate_bits: number; accuracy: number }[] {
  return planned.table1.map(({ block, value, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config);
    return { block, value, rate_bits: r.eval.rateBits, accuracy: r.eval.accuracy };
  });
}

/** Table I with the paper's numbers beside ours, intervals, the authors' (l) rate and the differences. */
export function table1Comparison(results: readonly TrialResult[], planned: PlannedConfigs): Record<string, string | number>[] {
  return planned.table1.map(({ block, value, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    const paper = (PAPER_TABLE1[block] as readonly { value: number; rate: number; accuracy: number }[]).find((p) => p.value === value);
    return {
      block: block === 'epsilon' ? 'ε (N = 64)' : 'N (ε = 0.1)', value,
      'rate l+1 (bits)': `${r.rateBits.toFixed(2)} ± ${r.rateHalfWidth.toFixed(2)}`,
      'rate l (authors)': Number(r.rateBitsAuthors.toFixed(2)),
      'paper rate': paper?.rate ?? '—',
      'ACC (%)': `${pct(r.accuracy).toFixed(2)} ± ${(100 * r.accuracyHalfWidth).toFixed(2)}`,
      'paper ACC (%)': paper?.accuracy ?? '—',
      'ΔACC (pp)': paper ? Number((pct(r.accuracy) - paper.accuracy).toFixed(2)) : '—',
      'CE (nats)': Number(r.ce.toFixed(4)),
      'I(L; Y) (bits)': Number(r.lengthClassBits.toFixed(3)),
    };
  });
}

/** Fig. 2(a) rows (figures/e2ec/fig2a.csv): method, param, rate_bits, accuracy; plus CE for the detail table. */
export function fig2aRows(results: readonly TrialResult[], planned: PlannedConfigs): { method: string; param: string; rate_bits: number; accuracy: number; ce: number }[] {
  const rows: { method: string; param: string; rate_bits: number; accuracy: number; ce: number }[] = [];
  for (const { lambda, config } of planned.lambdas) {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    rows.push({ method: 'E2EC', param: `lambda=${lambda}`, rate_bits: r.rateBits, accuracy: r.accuracy, ce: r.ce });
  }
  if (!planned.lambdas.some((l) => JSON.stringify(l.config) === JSON.stringify(planned.main))) {
    const r = resultFor<E2ecTrialResult>(results, planned.main).eval;
    rows.push({ method: `E2EC (Table I model, ${planned.main.steps + (planned.main.fineTuneSteps ?? 0)} steps)`, param: `lambda=${planned.main.lambda}`, rate_bits: r.rateBits, accuracy: r.accuracy, ce: r.ce });
  }
  for (const c of [...planned.d2jscc, ...planned.rdbo]) {
    const r = resultFor<BaselineTrialResult>(results, c);
    const param = r.kind === 'd2jscc' ? `d=${(c as { d: number }).d}` : `beta=${(c as { beta: number }).beta}`;
    rows.push({ method: r.kind === 'd2jscc' ? 'd2-JSCC' : 'RDBO', param, rate_bits: r.eval.rateBits, accuracy: r.eval.accuracy, ce: r.eval.ce });
  }
  return rows.sort((a, b) => a.method.localeCompare(b.method) || a.rate_bits - b.rate_bits);
}

/** Fig. 2(b) and 2(d): training trajectories per λ (rate = E[l + 1] of the batch, distortion = batch CE). */
export function trajectoryRows(results: readonly TrialResult[], planned: PlannedConfigs): { lambda: string; step: number; rate: number; distortion: number; lengthVariance: number }[] {
  return planned.lambdas.flatMap(({ lambda, config }) =>
    resultFor<E2ecTrialResult>(results, config).history.map((h) => ({ lambda: `λ = ${lambda}`, step: h.step, rate: h.rate, distortion: h.distortion, lengthVariance: h.lengthVariance })));
}

/** Fig. 2(c): code-length distribution on the test set, per λ (fraction of digits sent with each length). */
export function lengthHistogramRows(results: readonly TrialResult[], planned: PlannedConfigs): { lambda: string; length: number; fraction: number }[] {
  return planned.lambdas.flatMap(({ lambda, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    return r.lengthHistogram.map((c, i) => ({ lambda: `λ = ${lambda}`, length: i + 1, fraction: c / r.n }));
  });
}

/** Spread of the sent length per λ (test set), for Fig. 2(d)'s "spread as λ decreases". */
export function lengthSpreadRows(results: readonly TrialResult[], planned: PlannedConfigs): { lambda: number; mean_length: number; std_length: number; accuracy: number }[] {
  return planned.lambdas.map(({ lambda, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    return { lambda, mean_length: r.rateBits, std_length: r.lengthStd, accuracy: r.accuracy };
  });
}

/** Fig. 2(f): ‖v_i^(1) − v_i^(0)‖ per bit position, at initialisation and after training. */
export function embeddingRows(r: E2ecTrialResult): { position: number; stage: string; distance: number }[] {
  return [
    ...r.embedInit.distance.map((d, i) => ({ position: i + 1, stage: 'initialisation', distance: d })),
    ...r.embedFinal.distance.map((d, i) => ({ position: i + 1, stage: 'trained', distance: d })),
  ];
}

/** Ablation: test metrics of each variant, and the training distortion of each (Fig. "ablation"). */
export function ablationRows(results: readonly TrialResult[], planned: PlannedConfigs): { table: Record<string, string | number>[]; curves: { variant: string; step: number; distortion: number; rate: number }[] } {
  const table = planned.ablation.map(({ variant, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config);
    return { variant, steps: config.steps, 'rate (bits)': Number(r.eval.rateBits.toFixed(2)), 'ACC (%)': `${pct(r.eval.accuracy).toFixed(2)} ± ${(100 * r.eval.accuracyHalfWidth).toFixed(2)}`, 'CE (nats)': Number(r.eval.ce.toFixed(4)) };
  });
  const curves = planned.ablation.flatMap(({ variant, config }) =>
    resultFor<E2ecTrialResult>(results, config).history.map((h) => ({ variant, step: h.step, distortion: h.distortion, rate: h.rate })));
  // The default model's own trajectory over the same steps, for comparison at equal training.
  const steps = planned.ablation[0]?.config.steps ?? 0;
  const main = resultFor<E2ecTrialResult>(results, planned.main);
  const label = `default: K = ${planned.main.samples}, baseline ${planned.main.baseline}`;
  for (const h of main.history) if (h.step <= steps) curves.push({ variant: label, step: h.step, distortion: h.distortion, rate: h.rate });
  return { table, curves };
}

/**
 * Trunk layout against ε: rate, accuracy and I(L; Y) for the ε block of Table I with the length net on its own trunk
 * (the authors' layout) and on a trunk shared with the auxiliary classifier branch.
 */
export function trunkRows(results: readonly TrialResult[], planned: PlannedConfigs): { trunk: string; eps: number; rate_bits: number; accuracy: number; length_class_bits: number }[] {
  const label = (shared: boolean) => (shared ? 'shared with the auxiliary branch' : 'separate (authors)');
  const own = planned.table1.filter((t) => t.block === 'epsilon' && planned.trunk.some((x) => x.eps === t.value)).map((t) => ({ eps: t.value, config: t.config }));
  return [...own, ...planned.trunk].map(({ eps, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    return { trunk: label(config.sharedTrunk), eps, rate_bits: r.rateBits, accuracy: r.accuracy, length_class_bits: r.lengthClassBits };
  });
}

/** Below this test accuracy a λ-sweep model counts as collapsed (its code too short for the decoder to learn). */
export const COLLAPSE_ACCURACY = 0.9;

/** The measured side of the notebook's "what differs" section, computed from the results (no number typed in). */
export interface DifferenceSummary {
  /** [min, max] I(L; Y) in bits over the trunk study's models with the other layout than the main model's. */
  readonly otherLayoutLengthBits: readonly [number, number] | null;
  /** The main model's maximum length N (that of Table I's ε block; 64 in the paper). */
  readonly mainLength: number;
  /** Max I(L; Y) over Table I's ε block (the main model's layout and N). */
  readonly mainLayoutLengthBits: number;
  /** Upper size of the plug-in I(L; Y) estimate's bias at the main N on the test set (lengthClassBias). */
  readonly lengthBitsBias: number;
  /** [min, max] I(L; Y) over Table I's N block below the main N. */
  readonly shortCodeLengthBits: readonly [number, number] | null;
  /** [min, max] of our rate − the paper's over Table I's ε block (bits, l + 1); null when no ε is the paper's. */
  readonly rateExcessEpsilonBlock: readonly [number, number] | null;
  /** Accuracy (%) of the smallest N against the paper's (null when the paper has no such N). */
  readonly smallestN: { readonly n: number; readonly ours: number; readonly paper: number | null };
  /** λ-sweep models below COLLAPSE_ACCURACY. */
  readonly collapsed: readonly { readonly lambda: number; readonly rateBits: number; readonly accuracy: number }[];
}

const span = (xs: readonly number[]): readonly [number, number] | null => (xs.length ? [Math.min(...xs), Math.max(...xs)] : null);

export function differenceSummary(results: readonly TrialResult[], planned: PlannedConfigs): DifferenceSummary {
  const ev = (c: AnyConfig) => resultFor<E2ecTrialResult>(results, c).eval;
  const eps = planned.table1.filter((t) => t.block === 'epsilon');
  const ns = planned.table1.filter((t) => t.block === 'N').sort((a, b) => a.value - b.value);
  if (!eps.length || !ns.length) throw new RangeError('differenceSummary needs both blocks of Table I in the plan');
  const paperRate = (v: number) => PAPER_TABLE1.epsilon.find((p) => p.value === v)?.rate;
  const excess = eps.flatMap((t) => { const p = paperRate(t.value); return p === undefined ? [] : [ev(t.config).rateBits - p]; });
  const mainLength = planned.main.maxLength;
  const first = ns[0];
  const paperFirst = PAPER_TABLE1.N.find((p) => p.value === first.value);
  return {
    otherLayoutLengthBits: span(planned.trunk.map((t) => ev(t.config).lengthClassBits)),
    mainLength,
    mainLayoutLengthBits: Math.max(...eps.map((t) => ev(t.config).lengthClassBits)),
    lengthBitsBias: lengthClassBias(mainLength, ev(planned.main).n),
    shortCodeLengthBits: span(ns.filter((t) => t.value < mainLength).map((t) => ev(t.config).lengthClassBits)),
    rateExcessEpsilonBlock: span(excess),
    smallestN: { n: first.value, ours: pct(ev(first.config).accuracy), paper: paperFirst?.accuracy ?? null },
    collapsed: planned.lambdas.map(({ lambda, config }) => ({ lambda, rateBits: ev(config).rateBits, accuracy: ev(config).accuracy }))
      .filter((r) => r.accuracy < COLLAPSE_ACCURACY),
  };
}

/** Markdown bullets of a DifferenceSummary, for the notebook. */
export function differenceBullets(d: DifferenceSummary, mainShared: boolean): string[] {
  const r = (x: number, k = 2) => x.toFixed(k);
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
  const [other, mine] = mainShared ? ['its own trunk', 'the shared trunk'] : ['the auxiliary branch\'s trunk', 'its own trunk (the authors\' layout)'];
  const lines: string[] = [];
  if (d.otherLayoutLengthBits) lines.push(`- **Length side channel.** With the length net on ${other} the length carries I(L; Y) = ${r(d.otherLayoutLengthBits[0])}–${r(d.otherLayoutLengthBits[1])} bits of the class (of log₂10 = 3.32); on ${mine} at N = ${d.mainLength} at most ${r(d.mainLayoutLengthBits, 3)} bits (the plug-in estimate's bias is up to ${r(d.lengthBitsBias, 3)} bits).`);
  if (d.shortCodeLengthBits) lines.push(`- **Short codes use the free length.** At N < ${d.mainLength} even ${mine} puts ${r(d.shortCodeLengthBits[0])}–${r(d.shortCodeLengthBits[1])} bits of class in the length (column I(L; Y) of \`table1_vs_paper\`).`);
  const ex = d.rateExcessEpsilonBlock;
  if (ex) lines.push(`- **Rate at N = ${d.mainLength}.** Ours minus the paper's over the ε block: ${signed(ex[0])} to ${signed(ex[1])} bits.`);
  const sn = d.smallestN;
  lines.push(`- **Smallest N.** N = ${sn.n} reaches ${r(sn.ours)} %${sn.paper === null ? ' (not in the paper)' : ` (paper ${r(sn.paper)} %, ${signed(sn.ours - sn.paper)} pp)`}.`);
  lines.push(d.collapsed.length
    ? `- **Collapsed λ.** ${d.collapsed.map((c) => `λ = ${c.lambda}: ${r(c.rateBits, 1)} bits, ${r(100 * c.accuracy, 1)} %`).join('; ')} (below ${100 * COLLAPSE_ACCURACY} % accuracy).`
    : `- **Collapsed λ.** No λ of the sweep falls below ${100 * COLLAPSE_ACCURACY} % accuracy.`);
  return lines;
}

/** Information-plane chart (Vega-Lite): a line per λ drawn in training order, markers at logged steps. */
export function infoPlaneSpec(title: string, subtitle: string): Record<string, unknown> {
  return {
    title: { text: title, subtitle },
    width: 420, height: 300,
    mark: { type: 'line', point: { size: 18 }, clip: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', title: 'rate E[l + 1] (bits)' },
      y: { field: 'distortion', type: 'quantitative', title: 'distortion: batch CE (nats)', scale: { type: 'log' } },
      color: { field: 'lambda', type: 'nominal', title: '' },
      order: { field: 'step', type: 'quantitative' },
    },
  };
}
