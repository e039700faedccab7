/**
 * Rows of every figure and table of the notebook (Fig. 2(a)–(f), Table I, ablation, trunk layout) with their 95 %
 * intervals, the Vega-Lite specs the generic chart helpers do not cover, and the measured "what differs" summary.
 */
import type { AnyConfig, E2ecConfig } from './config.js';
import { lengthClassBias, semanticMetrics, type E2ecEval, type SemanticMetrics } from './evaluate.js';
import { PAPER_TABLE1, resultFor, splitDigits, type PlannedConfigs } from './plan.js';
import { fitSaturating, olsSlope, type SaturatingFit } from '../../metrics/index.js';
import { isTrained } from './restarts.js';
import type { BaselineTrialResult, E2ecTrialResult, TrialResult } from './trial.js';
import { titleBlock } from '../../plot/index.js';
import { entropy } from '../../info/index.js';

const pct = (v: number) => Math.round(v * 10000) / 100;

/** One Table I row (a type alias, so it fits the table writer's Row): mean bits sent (l + 1) with its normal 95 % interval, accuracy with its exact interval. */
export type Table1Row = {
  block: 'epsilon' | 'N';
  value: number;
  rate_bits: number;
  rate_lo: number;
  rate_hi: number;
  accuracy: number;
  accuracy_lo: number;
  accuracy_hi: number;
  /** H(L): plug-in entropy (bits) of the sent-length distribution on the test digits (see lengthEntropyBits). */
  length_entropy_bits: number;
  /** Test digits evaluated. */
  n: number;
};

/**
 * H(L) in bits, the plug-in entropy of the empirical code-length distribution: H = −Σ_l (c_l/n) log2(c_l/n) over the
 * histogram counts c_l (n = Σ c_l). The receiver must learn each codeword's length l, and the rate l + 1 in Table I
 * does not count it (the paper's accounting): H(L) is the least side information, per digit, that an ideal entropy
 * code of the lengths would add. Plug-in bias ≈ (m − 1)/(2 n ln 2) bits for m occupied lengths (Miller–Madow):
 * ≤ 0.005 bits at n = 10,000 and m ≤ 65, below the printed precision.
 */
export function lengthEntropyBits(histogram: readonly number[]): number {
  if (!Array.isArray(histogram) || histogram.length === 0) throw new RangeError('histogram must be a non-empty array of counts');
  let n = 0;
  histogram.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`histogram[${i}] must be a non-negative integer count, got ${String(c)}`);
    n += c;
  });
  if (n === 0) throw new RangeError('histogram must hold at least one count');
  return entropy(histogram.map((c) => c / n));
}

/** A Table I model's scores on the test half of the test digits (its checkpoint was chosen on the other half). */
export interface TestHalf extends SemanticMetrics {
  /** Sent-length counts on the test half (index 0 is length 1). */
  readonly lengthHistogram: number[];
}

/** Restricts a full evaluation to the test half of splitDigits(n): rate, accuracy, intervals and the length histogram. */
export function testHalf(e: E2ecEval): TestHalf {
  const { test } = splitDigits(e.correct.length);
  const bits = test.map((i) => e.bits[i]);
  const hist = new Array<number>(e.lengthHistogram.length).fill(0);
  bits.forEach((b) => { hist[b - 1] += 1; });
  return { ...semanticMetrics(bits, e.ce, test.map((i) => e.correct[i])), lengthHistogram: hist };
}

/** Table I rows for figures/e2ec/table1.csv (accuracy in [0, 1]), on the test half of the test digits. */
export function table1Rows(results: readonly TrialResult[], planned: PlannedConfigs): Table1Row[] {
  return planned.table1.map(({ block, value, config }) => {
    const e = testHalf(resultFor<E2ecTrialResult>(results, config).eval);
    return {
      block, value, rate_bits: e.rateBits, rate_lo: e.rateBits - e.rateHalfWidth, rate_hi: e.rateBits + e.rateHalfWidth,
      accuracy: e.accuracy, accuracy_lo: e.accuracyLo, accuracy_hi: e.accuracyHi,
      length_entropy_bits: lengthEntropyBits(e.lengthHistogram), n: e.n,
    };
  });
}

/** Table I with the paper's numbers beside ours, intervals, the authors' (l) rate and the differences. */
export function table1Comparison(results: readonly TrialResult[], planned: PlannedConfigs): Record<string, string | number>[] {
  return planned.table1.map(({ block, value, config }) => {
    const full = resultFor<E2ecTrialResult>(results, config);
    const r = testHalf(full.eval);
    const paper = (PAPER_TABLE1[block] as readonly { value: number; rate: number; accuracy: number }[]).find((p) => p.value === value);
    return {
      block: block === 'epsilon' ? 'ε (N = 64)' : 'N (ε = 0.1)', value,
      'rate l+1 (bits)': `${r.rateBits.toFixed(2)} ± ${r.rateHalfWidth.toFixed(2)}`,
      'rate l (authors)': Number((r.rateBits - 1).toFixed(2)),
      'H(L) (bits, uncounted)': Number(lengthEntropyBits(r.lengthHistogram).toFixed(2)),
      'paper rate': paper?.rate ?? '—',
      'ACC (%)': `${pct(r.accuracy).toFixed(2)} [${pct(r.accuracyLo).toFixed(2)}, ${pct(r.accuracyHi).toFixed(2)}]`,
      'paper ACC (%)': paper?.accuracy ?? '—',
      'ΔACC (pp)': paper ? Number((pct(r.accuracy) - paper.accuracy).toFixed(2)) : '—',
      'CE (nats, all digits)': Number(full.eval.ce.toFixed(4)),
      'I(L; Y) (bits, all digits)': Number(full.eval.lengthClassBits.toFixed(3)),
      'test digits': r.n,
      'epoch (chosen on validation)': full.chosen ? Number(full.chosen.epoch.toFixed(2)) : '—',
    };
  });
}

/** One Fig. 2(a) point: rate (normal 95 % interval over digits) and accuracy (exact 95 % interval), CE in nats. */
export type Fig2aRow = {
  method: string;
  param: string;
  rate_bits: number;
  rate_lo: number;
  rate_hi: number;
  accuracy: number;
  accuracy_lo: number;
  accuracy_hi: number;
  ce: number;
  n: number;
};

const point = (method: string, param: string, e: SemanticMetrics): Fig2aRow => ({
  method, param, rate_bits: e.rateBits, rate_lo: e.rateBits - e.rateHalfWidth, rate_hi: e.rateBits + e.rateHalfWidth,
  accuracy: e.accuracy, accuracy_lo: e.accuracyLo, accuracy_hi: e.accuracyHi, ce: e.ce, n: e.n,
});

/** Fig. 2(a) rows (figures/e2ec/fig2a.csv). */
export function fig2aRows(results: readonly TrialResult[], planned: PlannedConfigs): Fig2aRow[] {
  const rows: Fig2aRow[] = [];
  for (const { lambda, config } of planned.lambdas) rows.push(point('E2EC', `lambda=${lambda}`, resultFor<E2ecTrialResult>(results, config).eval));
  if (!planned.lambdas.some((l) => JSON.stringify(l.config) === JSON.stringify(planned.main))) {
    rows.push(point(`E2EC (Table I model, ${planned.main.steps + (planned.main.fineTuneSteps ?? 0)} steps)`, `lambda=${planned.main.lambda}`, resultFor<E2ecTrialResult>(results, planned.main).eval));
  }
  for (const c of [...planned.d2jscc, ...planned.rdbo]) {
    const r = resultFor<BaselineTrialResult>(results, c);
    const param = r.kind === 'd2jscc' ? `d=${(c as { d: number }).d}` : `beta=${(c as { beta: number }).beta}`;
    rows.push(point(r.kind === 'd2jscc' ? 'd2-JSCC' : 'RDBO', param, r.eval));
  }
  // The paper's legend order: E2EC, then the baselines d2-JSCC and RDBO; by rate within a method.
  const rank = (m: string) => (m.startsWith('E2EC') ? (m === 'E2EC' ? 0 : 1) : m === 'd2-JSCC' ? 2 : 3);
  return rows.sort((a, b) => rank(a.method) - rank(b.method) || a.rate_bits - b.rate_bits);
}

/**
 * Fig. 2(a) chart: a line and points per method, vertical bars = exact 95 % interval of the accuracy, horizontal
 * bars = 95 % interval of the mean rate (both over the test digits; the subtitle states how many).
 */
export function fig2aSpec(title: string, subtitle: string | string[]): Record<string, unknown> {
  const x = { field: 'rate_bits', type: 'quantitative', title: 'rate (bits per digit, log scale)', scale: { type: 'log' } };
  const color = { field: 'method', type: 'nominal', title: '' };
  return {
    title: titleBlock(title, subtitle),
    width: 460, height: 300,
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } }, color, order: { field: 'rate_bits', type: 'quantitative' } } },
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'accuracy_lo', type: 'quantitative' }, y2: { field: 'accuracy_hi' }, color } },
      { mark: { type: 'rule' }, encoding: { x: { ...x, field: 'rate_lo' }, x2: { field: 'rate_hi' }, y: { field: 'accuracy', type: 'quantitative' }, color } },
    ],
  };
}

/** Fig. 2(e) chart: accuracy drop per removed 4-bit block with its normal 95 % interval over the test digits. */
export function fig2eSpec(title: string, subtitle: string | string[]): Record<string, unknown> {
  const x = { field: 'block', type: 'ordinal', title: 'bit block (positions 4k+1…4k+4)' };
  return {
    title: titleBlock(title, subtitle),
    width: 460, height: 260,
    layer: [
      { mark: { type: 'bar' }, encoding: { x, y: { field: 'accuracyDrop', type: 'quantitative', title: 'accuracy drop' } } },
      { mark: { type: 'rule', color: 'black' }, encoding: { x, y: { field: 'drop_lo', type: 'quantitative' }, y2: { field: 'drop_hi' } } },
    ],
  };
}

/** Fig. 2(e) rows of one model: drop per block with its interval. */
export function fig2eRows(r: E2ecTrialResult): { block: number; accuracyDrop: number; drop_lo: number; drop_hi: number; accuracy: number; ceIncrease: number }[] {
  return r.importance.map((b) => ({
    block: b.block, accuracyDrop: b.accuracyDrop, drop_lo: b.accuracyDrop - b.accuracyDropHalfWidth, drop_hi: b.accuracyDrop + b.accuracyDropHalfWidth,
    accuracy: b.accuracy, ceIncrease: b.ceIncrease,
  }));
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

/** Spread of the sent length per λ (test set), for Fig. 2(c)/(d)'s "spread grows as λ decreases". */
export function lengthSpreadRows(results: readonly TrialResult[], planned: PlannedConfigs): { lambda: number; mean_length: number; std_length: number; accuracy: number; n: number }[] {
  return planned.lambdas.map(({ lambda, config }) => {
    const r = resultFor<E2ecTrialResult>(results, config).eval;
    return { lambda, mean_length: r.rateBits, std_length: r.lengthStd, accuracy: r.accuracy, n: r.n };
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
    return { variant, steps: config.steps, 'rate (bits)': Number(r.eval.rateBits.toFixed(2)), 'ACC (%) [exact 95 %]': `${pct(r.eval.accuracy).toFixed(2)} [${pct(r.eval.accuracyLo).toFixed(2)}, ${pct(r.eval.accuracyHi).toFixed(2)}]`, 'CE (nats)': Number(r.eval.ce.toFixed(4)), 'test digits': r.eval.n };
  });
  const curves = planned.ablation.flatMap(({ variant, config }) =>
    resultFor<E2ecTrialResult>(results, config).history.map((h) => ({ variant, step: h.step, distortion: h.distortion, rate: h.rate })));
  // The default model's own trajectory over the same steps, for comparison at equal training.
  const steps = planned.ablation[0]?.config.steps ?? 0;
  const main = resultFor<E2ecTrialResult>(results, planned.sweepMain);
  const label = `λ-sweep model at λ = ${planned.sweepMain.lambda}: K = ${planned.sweepMain.samples}, baseline ${planned.sweepMain.baseline}`;
  for (const h of main.history) if (h.step <= steps) curves.push({ variant: label, step: h.step, distortion: h.distortion, rate: h.rate });
  return { table, curves };
}

/**
 * Trunk layout against ε: rate, accuracy and I(L; Y) for the ε block of Table I with the length net on its own trunk
 * (the authors' layout) and on a trunk shared with the auxiliary classifier branch.
 */
export function trunkRows(results: readonly TrialResult[], planned: PlannedConfigs): { trunk: string; eps: number; seed: number; rate_bits: number; accuracy: number; length_class_bits: number; trained: string }[] {
  const label = (shared: boolean) => (shared ? 'shared with the auxiliary branch' : 'separate (authors)');
  const own = planned.table1.filter((t) => t.block === 'epsilon' && planned.trunk.some((x) => x.eps === t.value)).map((t) => ({ eps: t.value, config: t.config }));
  return [...own, ...planned.trunk].map(({ eps, config }) => {
    const m = resultFor<E2ecTrialResult>(results, config);
    const r = m.eval;
    return { trunk: label(config.sharedTrunk), eps, seed: config.seed, rate_bits: r.rateBits, accuracy: r.accuracy, length_class_bits: r.lengthClassBits, trained: isTrained(m) ? 'yes' : 'no' };
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
  const excess = eps.flatMap((t) => { const p = paperRate(t.value); return p === undefined ? [] : [testHalf(ev(t.config)).rateBits - p]; });
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
    smallestN: { n: first.value, ours: pct(testHalf(ev(first.config)).accuracy), paper: paperFirst?.accuracy ?? null },
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
    title: titleBlock(title, subtitle),
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

// ---- learning curve (Table I's models), budgets, and E2EC against the RDBO curve ----

const label1 = (block: 'epsilon' | 'N', value: number) => (block === 'epsilon' ? `ε = ${value}` : `N = ${value}`);

/** One learning-curve row: a Table I model on the validation digits after `epoch` epochs. */
export type CurveRow = { model: string; epoch: number; step: number; accuracy: number; rate_bits: number; length_entropy_bits: number; ce: number; chosen: boolean; n: number };

/** Learning-curve rows of Table I's models (validation half of the test digits), one per evaluation and model. */
export function learningCurveRows(results: readonly TrialResult[], planned: PlannedConfigs): CurveRow[] {
  const seen = new Set<string>();
  const rows: CurveRow[] = [];
  for (const { block, value, config } of planned.table1) {
    const key = JSON.stringify(config);
    if (seen.has(key)) continue; // ε = 0.1 and N = 64 are one model
    seen.add(key);
    const r = resultFor<E2ecTrialResult>(results, config);
    const model = JSON.stringify(config) === JSON.stringify(planned.main) ? `${label1(block, value)} (default)` : label1(block, value);
    for (const c of r.curve) {
      rows.push({ model, epoch: c.epoch, step: c.step, accuracy: c.accuracy, rate_bits: c.rateBits, length_entropy_bits: c.lengthEntropyBits, ce: c.ce, chosen: r.chosen?.step === c.step, n: c.n });
    }
  }
  return rows;
}

/** Where each Table I model's validation curve points at `target` epochs (default 100, the paper's budget). */
export type ExtrapolationRow = {
  model: string;
  epochs_trained: number;
  chosen_epoch: number;
  /** Validation accuracy (%) and rate (bits) at the last evaluation. */
  acc_last: number;
  rate_last: number;
  /** OLS slope over the last `lastK` evaluations, per epoch (pp, bits). */
  acc_slope: number;
  rate_slope: number;
  /** Saturating fit a − b·epoch^(−c) over epochs ≥ 1, evaluated at `target` epochs, and its asymptote a. */
  acc_fit_target: number | null;
  acc_fit_asymptote: number | null;
  rate_fit_target: number | null;
  /** Linear continuation of the last slope to `target` epochs, clipped to the possible range (accuracy 0–100 %, rate 1…N + 1 bits; `note` says when). */
  acc_linear_target: number;
  rate_linear_target: number;
  paper_acc: number | null;
  paper_rate: number | null;
  /** What was withheld or clipped, and why ('' when nothing was). */
  note: string;
};

/**
 * A saturating fit is a usable estimate only when its asymptote is a possible value: accuracy in [0, 100] %, rate in
 * [1, N + 1] bits (a code sends between 1 and N + 1 bits). A curve that has not bent yet fits with an asymptote
 * beyond that range (the power law then only says "still rising"); such a fit gives no estimate.
 */
function fitInRange(f: SaturatingFit | null, lo: number, hi: number): SaturatingFit | null {
  return f && f.a >= lo && f.a <= hi ? f : null;
}

/**
 * Extrapolates each Table I model's validation curve to `target` epochs two ways: the least-squares saturating fit
 * y = a − b·epoch^(−c) over the evaluations at epoch ≥ 1 (fitSaturating; null with fewer than 3 of them), and the
 * straight continuation of the OLS slope over the last `lastK` evaluations. Both are models of the curve, not
 * measurements: far beyond the trained epochs they only bracket where training would plausibly land.
 */
export function curveExtrapolation(results: readonly TrialResult[], planned: PlannedConfigs, options: { target?: number; lastK?: number } = {}): ExtrapolationRow[] {
  const target = options.target ?? 100;
  const lastK = options.lastK ?? 3;
  if (!(target > 0) || !Number.isFinite(target)) throw new RangeError(`target (epochs) must be a positive number, got ${String(target)}`);
  if (!Number.isInteger(lastK) || lastK < 2) throw new RangeError(`lastK must be an integer >= 2, got ${String(lastK)}`);
  const byModel = new Map<string, CurveRow[]>();
  for (const r of learningCurveRows(results, planned)) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  const out: ExtrapolationRow[] = [];
  for (const { block, value, config } of planned.table1) {
    const rows = byModel.get(label1(block, value)) ?? byModel.get(`${label1(block, value)} (default)`);
    if (!rows || out.some((o) => o.model === rows[0].model)) continue;
    const pts = rows.filter((r) => r.epoch > 0).sort((a, b) => a.epoch - b.epoch);
    if (pts.length < 2) continue;
    const last = pts.slice(-lastK);
    const ex = last.map((r) => r.epoch);
    const accSlope = 100 * olsSlope(ex, last.map((r) => r.accuracy));
    const rateSlope = olsSlope(ex, last.map((r) => r.rate_bits));
    const end = pts[pts.length - 1];
    const fit = (ys: number[]) => (pts.length >= 3 ? fitSaturating(pts.map((r) => r.epoch), ys) : null);
    const rawA = fit(pts.map((r) => 100 * r.accuracy));
    const rawR = fit(pts.map((r) => r.rate_bits));
    const maxRate = config.maxLength + 1;
    const fa = fitInRange(rawA, 0, 100);
    const fr = fitInRange(rawR, 1, maxRate);
    const accLin = 100 * end.accuracy + accSlope * (target - end.epoch);
    const rateLin = end.rate_bits + rateSlope * (target - end.epoch);
    const notes: string[] = [];
    if (rawA && !fa) notes.push(`accuracy fit's asymptote ${rawA.a.toFixed(1)} % is outside 0–100 %${rawA.a > 100 ? ' (the curve has not bent yet)' : ''}: no estimate`);
    if (rawR && !fr) notes.push(`rate fit's asymptote ${rawR.a.toFixed(1)} bits is outside 1–${maxRate}: no estimate`);
    if (accLin > 100 || accLin < 0) notes.push(`linear accuracy clipped to ${accLin > 100 ? 100 : 0} %`);
    if (rateLin > maxRate || rateLin < 1) notes.push(rateLin > maxRate ? `linear rate clipped to ${maxRate} bits` : 'linear rate clipped to 1 bit');
    const paper = (PAPER_TABLE1[block] as readonly { value: number; rate: number; accuracy: number }[]).find((p) => p.value === value);
    out.push({
      model: rows[0].model, epochs_trained: end.epoch, chosen_epoch: rows.find((r) => r.chosen)?.epoch ?? end.epoch,
      acc_last: 100 * end.accuracy, rate_last: end.rate_bits, acc_slope: accSlope, rate_slope: rateSlope,
      acc_fit_target: fa ? Math.min(100, Math.max(0, fa.predict(target))) : null, acc_fit_asymptote: fa ? fa.a : null,
      rate_fit_target: fr ? Math.min(maxRate, Math.max(1, fr.predict(target))) : null,
      acc_linear_target: Math.min(100, Math.max(0, accLin)), rate_linear_target: Math.min(maxRate, Math.max(1, rateLin)),
      paper_acc: paper?.accuracy ?? null, paper_rate: paper?.rate ?? null, note: notes.join('; '),
    });
  }
  return out;
}

/** Training budget of one group of models (the budgets table and Fig. 2(a)'s subtitle). */
export type BudgetRow = { models: string; count: number; architecture: string; estimator: string; lr: string; batch: number; steps: number; epochs: number };

const arch = (c: AnyConfig): string => (c.kind === 'e2ec'
  ? `trunks 784→${c.hidden.join('→')}${c.sharedTrunk ? ' (shared)' : ' (×2)'}, content ${c.contentHidden.join('/')}`
  : `encoder 784→${c.hidden.join('→')}`);

function budgetOf(models: string, configs: readonly AnyConfig[], trainCount: number): BudgetRow | null {
  if (!configs.length) return null;
  const c = configs[0];
  const steps = c.steps + (c.fineTuneSteps ?? 0);
  const e = c.kind === 'e2ec' ? (c as E2ecConfig) : null;
  return {
    models, count: configs.length, architecture: arch(c),
    estimator: e ? (e.samples > 1 ? `K = ${e.samples}, ${e.baseline}` : `K = 1, ${e.baseline} baseline`) : c.kind === 'd2jscc' ? 'Gumbel-softmax (straight-through)' : 'reparameterisation',
    lr: c.fineTuneSteps ? `${c.lr} (${c.steps} steps), then ${c.fineTuneLr ?? c.lr / 10} (${c.fineTuneSteps})` : `${c.lr}`,
    batch: c.batchSize, steps, epochs: (steps * c.batchSize) / trainCount,
  };
}

/** One row per group of models: architecture, estimator, learning rate, batch, steps and epochs. */
export function budgetRows(planned: PlannedConfigs): BudgetRow[] {
  const n = planned.main.trainCount;
  return [
    budgetOf('Table I (ε and N blocks)', [...new Map(planned.table1.map((t) => [JSON.stringify(t.config), t.config])).values()], n),
    budgetOf('λ sweep (Fig. 2(a)–(d))', planned.lambdas.map((l) => l.config), n),
    budgetOf('ablation', planned.ablation.map((a) => a.config), n),
    budgetOf('trunk-layout study', planned.trunk.map((t) => t.config), n),
    budgetOf('d2-JSCC (Fig. 2(a))', planned.d2jscc, n),
    budgetOf('RDBO (Fig. 2(a))', planned.rdbo, n),
  ].filter((r): r is BudgetRow => r !== null);
}

/** Training budgets as one-line labels for subtitles and captions (epochs = (steps + fine-tune steps) × batch / train digits). */
export interface BudgetLabels {
  /** Table I's models (the main configuration). */
  readonly table1: string;
  /** The λ-sweep models of Fig. 2(a)–(d). */
  readonly sweep: string;
  /** d2-JSCC and RDBO. */
  readonly baselines: string;
  readonly epochs: { readonly table1: number; readonly sweep: number; readonly baselines: number };
}

/**
 * The budget labels of a plan, read from its configurations. Throws when the baselines get fewer epochs than any
 * E2EC model (issue 16: Fig. 2(a) compares like with like), naming the setting to raise.
 */
export function budgetLabels(planned: PlannedConfigs): BudgetLabels {
  const m = planned.main;
  const sw = planned.lambdas.length ? planned.lambdas[0].config : m;
  const bl = planned.d2jscc.length ? planned.d2jscc[0] : null;
  const epochsOf = (c: AnyConfig) => ((c.steps + (c.fineTuneSteps ?? 0)) * c.batchSize) / c.trainCount;
  const tune = (c: E2ecConfig) => (c.fineTuneSteps ? [` + ${c.fineTuneSteps}`, ` then ${c.fineTuneLr ?? c.lr / 10}`] : ['', '']);
  const label = (c: E2ecConfig) => {
    const [steps, lr] = tune(c);
    return `${c.steps}${steps} steps × ${c.batchSize} (${epochsOf(c).toFixed(1)} epochs; paper 100) at lr ${c.lr}${lr}, trunks 784→${c.hidden.join('→')}`;
  };
  const epochs = { table1: epochsOf(m), sweep: epochsOf(sw), baselines: bl ? epochsOf(bl) : Number.POSITIVE_INFINITY };
  if (bl && epochs.baselines < Math.max(epochs.table1, epochs.sweep)) {
    throw new RangeError(`baselineSteps gives the baselines ${epochs.baselines.toFixed(2)} epochs, fewer than E2EC's ${Math.max(epochs.table1, epochs.sweep).toFixed(2)}: raise baselineSteps`);
  }
  return {
    table1: `${label(m)}, content ${m.contentHidden.join('/')}, K = ${m.samples}`,
    sweep: `${label(sw)}, K = ${sw.samples}`,
    baselines: bl ? `${bl.steps} steps × ${bl.batchSize} (${epochs.baselines.toFixed(1)} epochs) at lr ${bl.lr}, encoder 784→${(bl as { hidden: readonly number[] }).hidden.join('→')}` : 'no baselines',
    epochs,
  };
}

/** An E2EC λ point against the RDBO curve at its rate (all test digits; descriptive, the test is claim rdbo-bound). */
export type RdboPositionRow = {
  lambda: number;
  rate_bits: number;
  accuracy: number;
  /** RDBO's accuracy at the same rate, linear in log-rate between the two RDBO points around it; null outside RDBO's range. */
  rdbo_accuracy_at_rate: number | null;
  /** The most accurate RDBO point and its rate. */
  rdbo_best_accuracy: number;
  rdbo_best_rate: number;
  /** E2EC − RDBO at the same rate (pp); null outside RDBO's range. */
  gap_pp: number | null;
};

/** Where each λ-sweep point lies against the RDBO curve, from the computed accuracies and rates. */
export function rdboPosition(results: readonly TrialResult[], planned: PlannedConfigs): RdboPositionRow[] {
  const rd = planned.rdbo.map((c) => resultFor<BaselineTrialResult>(results, c).eval).map((e) => ({ rate: e.rateBits, acc: e.accuracy })).sort((a, b) => a.rate - b.rate);
  if (!rd.length) return [];
  const best = rd.reduce((b, x) => (x.acc > b.acc ? x : b));
  return planned.lambdas.map(({ lambda, config }) => {
    const e = resultFor<E2ecTrialResult>(results, config).eval;
    let at: number | null = null;
    for (let i = 1; i < rd.length; i++) {
      const [lo, hi] = [rd[i - 1], rd[i]];
      if (e.rateBits >= lo.rate && e.rateBits <= hi.rate && hi.rate > 0 && lo.rate > 0) {
        const t = hi.rate === lo.rate ? 0 : (Math.log(e.rateBits) - Math.log(lo.rate)) / (Math.log(hi.rate) - Math.log(lo.rate));
        at = lo.acc + t * (hi.acc - lo.acc);
      }
    }
    return {
      lambda, rate_bits: e.rateBits, accuracy: e.accuracy, rdbo_accuracy_at_rate: at, rdbo_best_accuracy: best.acc, rdbo_best_rate: best.rate,
      gap_pp: at === null ? null : 100 * (e.accuracy - at),
    };
  });
}

/** Markdown bullets explaining E2EC's position against the RDBO curve, from rdboPosition's rows. */
export function rdboPositionBullets(rows: readonly RdboPositionRow[]): string[] {
  if (!rows.length) return ['- No RDBO points in this run.'];
  const f = (x: number, k = 2) => x.toFixed(k);
  const out = rows.map((r) => `- λ = ${r.lambda}: E2EC ${f(r.rate_bits, 1)} bits, ${f(100 * r.accuracy)} %; ${r.rdbo_accuracy_at_rate === null
    ? `outside RDBO's rate range (its most accurate point: ${f(100 * r.rdbo_best_accuracy)} % at ${f(r.rdbo_best_rate, 1)} bits)`
    : `RDBO at the same rate ${f(100 * r.rdbo_accuracy_at_rate)} % (E2EC ${r.gap_pp !== null && r.gap_pp >= 0 ? '+' : '−'}${f(Math.abs(r.gap_pp ?? 0))} pp)`}.`);
  const above = rows.filter((r) => r.gap_pp !== null && r.gap_pp > 0).length;
  out.push(`- ${above} of ${rows.length} E2EC points lie above the RDBO curve at their rate. RDBO's x-axis is an estimate of I(X; Z) in bits for a noiseless Gaussian code (capped at log₂ B per dimension), E2EC's the bits actually sent over BSC(0.1): the two rates measure different things. A point above the RDBO curve does not contradict a bound (RDBO is not one: errata 7), and a point below it does not show E2EC worse at equal bits sent, since RDBO sends none over a channel. Claim rdbo-bound tests the first reading on held-out digits; the budgets table shows both trained for at least the same epochs.`);
  return out;
}

/** One row of the default model's curve-fit figure: measured validation points, the fitted curves, the paper's value. */
/** accuracy / rate_bits are null on the fit's rows when that fit gives no estimate (fitInRange). */
export type CurveFitRow = { series: string; epoch: number; accuracy: number | null; rate_bits: number | null };

/**
 * The default model's validation accuracy (%) and rate against epochs with both saturating fits
 * (a − b·epoch^(−c), fitSaturating over the evaluations at epoch ≥ 1) drawn out to `target` epochs at `points`
 * log-spaced epochs, and the paper's Table I value at `target`. Empty when the model has fewer than 3 evaluations.
 */
export function curveFitRows(results: readonly TrialResult[], planned: PlannedConfigs, options: { target?: number; points?: number } = {}): CurveFitRow[] {
  const target = options.target ?? 100;
  const points = options.points ?? 40;
  if (!(target > 0) || !Number.isFinite(target)) throw new RangeError(`target (epochs) must be a positive number, got ${String(target)}`);
  if (!Number.isInteger(points) || points < 2 || points > 1000) throw new RangeError(`points must be an integer in 2..1000, got ${String(points)}`);
  const r = resultFor<E2ecTrialResult>(results, planned.main);
  const pts = r.curve.filter((c) => c.epoch > 0).sort((a, b) => a.epoch - b.epoch);
  if (pts.length < 3) return [];
  const ex = pts.map((c) => c.epoch);
  const fa = fitInRange(fitSaturating(ex, pts.map((c) => 100 * c.accuracy)), 0, 100);
  const fr = fitInRange(fitSaturating(ex, pts.map((c) => c.rateBits)), 1, planned.main.maxLength + 1);
  const rows: CurveFitRow[] = pts.map((c) => ({ series: 'measured (validation digits)', epoch: c.epoch, accuracy: 100 * c.accuracy, rate_bits: c.rateBits }));
  const lo = Math.log(ex[0]);
  const hi = Math.log(target);
  for (let k = 0; k < points && (fa || fr); k++) {
    const e = Math.exp(lo + ((hi - lo) * k) / (points - 1));
    rows.push({ series: 'saturating fit a − b·epoch^(−c)', epoch: e, accuracy: fa ? Math.min(100, Math.max(0, fa.predict(e))) : null, rate_bits: fr ? fr.predict(e) : null });
  }
  const paper = PAPER_TABLE1.epsilon.find((p) => p.value === planned.main.eps);
  if (paper && planned.main.maxLength === 64) rows.push({ series: `paper, Table I (${target} epochs, test digits)`, epoch: target, accuracy: paper.accuracy, rate_bits: paper.rate });
  return rows;
}
