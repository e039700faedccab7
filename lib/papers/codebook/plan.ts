/**
 * The codebook notebook's plan: which configurations a profile trains and evaluates (planTrials), the parallel
 * cached runner (runTrials), and the results of one plan by role (collect). Training configurations are built by
 * config.ts's vqConfig and key the model cache (cacheDir('models', 'codebook')); the evaluation settings beside
 * them only key the sweep-result cache, so changing them re-evaluates cached models without retraining.
 */
import { fileURLToPath } from 'node:url';
import { assertInteger, cacheDir } from '../../core/index.js';
import { CODEC_NAMES, type CodecName } from '../../codecs/index.js';
import { runSweepAll } from '../../nn/index.js';
import { VQ_SCHEMES, vqConfig, type Scheme, type VqModelConfig } from './config.js';
import { vqSymbolsPerImage, type EvalSettings, type PatchCount } from './evaluate.js';
import type {
  CodebookTrialConfig, CodebookTrialResult, KSweepConfig, KSweepResult, SeparateTrialConfig, SeparateTrialResult,
  VqTrialConfig, VqTrialResult,
} from './trial.js';

/** The paper's headline at 10 dB (abstract, §IV-A): proposed vs VQ-VAE [8]: +24.1 % PSNR, 46.5 % lower LPIPS. */
export const PAPER_HEADLINE = { snrDb: 10, psnrGain: 0.241, lpipsReduction: 0.465 } as const;

/** "Low SNR" of the ablation claims: at or below this (high bit-flip rates; ε ≥ 0.2 uncoded). */
export const LOW_SNR_DB = 10;
/** "High SNR" of the ablation claims: at or above this ("accurate symbol transmission"; ε ≤ 0.05 uncoded). */
export const HIGH_SNR_DB = 20;

export interface CodebookPlan {
  /** Settings shared by every VQ model (the four schemes differ only in λ_H, λ_C). */
  readonly model: Partial<Omit<VqModelConfig, 'scheme' | 'kind'>>;
  readonly eval: EvalSettings;
  /** Further codebook sizes trained with the proposed loss, for the eq. (21) check (may be empty). */
  readonly extraKs: readonly number[];
  /**
   * Codebook sizes at which plain VQ-VAE and VQ-VAE + index entropy are both trained (issue 16: where can the
   * entropy term matter?). The main K reuses the two scheme models; may be empty.
   */
  readonly entropyKs: readonly number[];
  readonly codecs: readonly CodecName[];
  readonly kSweep: { readonly Ks: readonly number[]; readonly trainPatches: number; readonly validationCount: PatchCount; readonly iters: number };
}

export interface PlannedTrials {
  readonly schemes: Readonly<Record<Scheme, VqTrialConfig>>;
  readonly extraK: readonly VqTrialConfig[];
  /** Plain and entropy-regularised models at each entropyKs size other than the main K (lean evaluation). */
  readonly entropySweep: readonly { readonly K: number; readonly vqvae: VqTrialConfig; readonly vqvae_entropy: VqTrialConfig }[];
  readonly separate: readonly SeparateTrialConfig[];
  readonly kSweep: KSweepConfig;
}

/**
 * Every configuration of a plan. The extra sizes and the baselines skip the full-set perceptual distance (only
 * the four schemes' headline needs it) and the extra sizes skip the LDPC-coded path. The eq. (21) sizes are
 * evaluated at the design SNR only and the entropy sweep at 10 dB and ≥ 20 dB only (no perceptual distance, no
 * pictures): the only SNRs their table, figure and claims read.
 */
export function planTrials(plan: CodebookPlan): PlannedTrials {
  const schemes = Object.fromEntries(VQ_SCHEMES.map((s) => [s, { kind: 'vq', model: vqConfig(s, plan.model), eval: plan.eval }])) as Record<Scheme, VqTrialConfig>;
  const lean: EvalSettings = { ...plan.eval, codedVq: false, perceptualAllSnrsDb: [] };
  const main = schemes.proposed.model;
  // the sweeps are only read at the SNRs their tables and claims use (evaluation time grows with the SNR count)
  const atSnrs = (snrs: readonly number[], what: string): EvalSettings => {
    if (snrs.length === 0) throw new RangeError(`eval.snrsDb must include ${what}, got ${plan.eval.snrsDb.join(', ')}`);
    return { ...lean, snrsDb: snrs, perceptualCount: 0, sampleCount: 0, sampleSnrsDb: [] };
  };
  const extraKs = plan.extraKs.filter((K) => K !== main.K);
  const extraEval = extraKs.length === 0 ? lean : atSnrs(plan.eval.snrsDb.filter((s) => s === main.designSnrDb), `the design SNR ${main.designSnrDb} dB`);
  const extraK = extraKs.map((K) => ({ kind: 'vq' as const, model: vqConfig('proposed', { ...plan.model, K }), eval: extraEval }));
  if (!Array.isArray(plan.entropyKs)) throw new RangeError('entropyKs must be an array of codebook sizes (may be empty)');
  const entropyKs = [...new Set(plan.entropyKs)].filter((K) => K !== main.K).sort((a, b) => a - b);
  const entropyEval = entropyKs.length === 0 ? lean : atSnrs(plan.eval.snrsDb.filter((s) => s === LOW_SNR_DB || s >= HIGH_SNR_DB), `${LOW_SNR_DB} dB or SNRs ≥ ${HIGH_SNR_DB} dB`);
  const entropySweep = entropyKs.map((K) => ({
    K,
    vqvae: { kind: 'vq' as const, model: vqConfig('vqvae', { ...plan.model, K }), eval: entropyEval },
    vqvae_entropy: { kind: 'vq' as const, model: vqConfig('vqvae_entropy', { ...plan.model, K }), eval: entropyEval },
  }));
  const separate = plan.codecs.map((codec) => {
    if (!CODEC_NAMES.includes(codec)) throw new RangeError(`codecs must be drawn from ${CODEC_NAMES.join(', ')}, got ${JSON.stringify(codec)}`);
    return { kind: 'separate' as const, codec, patchSize: main.patchSize, ...(main.dataset === undefined ? {} : { dataset: main.dataset }), symbolsPerImage: vqSymbolsPerImage(main), eval: lean };
  });
  const ks = plan.kSweep;
  assertInteger('kSweep.iters', ks.iters, 1);
  return {
    schemes, extraK, entropySweep, separate,
    kSweep: { kind: 'ksweep', model: main, Ks: ks.Ks, trainPatches: ks.trainPatches, validationCount: ks.validationCount, iters: ks.iters, seed: main.seed },
  };
}

const TRIAL_MODULE = fileURLToPath(new URL('./trial.js', import.meta.url));

function describe(c: CodebookTrialConfig): string {
  if (c.kind === 'vq') return `${c.model.scheme} K=${c.model.K}`;
  if (c.kind === 'separate') return `${c.codec} + LDPC`;
  return `Lloyd sweep K=${c.Ks.join('/')}`;
}

/**
 * Runs configurations in parallel worker processes; results cached by config hash (cacheDir('sweeps',
 * 'codebook')), models by their training config (cacheDir('models', 'codebook')). Throws if any failed.
 */
export function runTrials(configs: readonly CodebookTrialConfig[], workers?: number, onDone?: (r: CodebookTrialResult, cached: boolean) => void): Promise<CodebookTrialResult[]> {
  return runSweepAll<CodebookTrialConfig, CodebookTrialResult>({
    module: TRIAL_MODULE, exportName: 'runTrial', configs, workers, cacheDir: cacheDir('sweeps', 'codebook'), onDone, describe,
  });
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
  /** Plain and entropy-regularised models by size, the main K (the scheme models) included; sorted by K. */
  readonly entropySweep: readonly { readonly K: number; readonly vqvae: VqTrialResult; readonly vqvae_entropy: VqTrialResult }[];
  readonly separate: Readonly<Partial<Record<CodecName, SeparateTrialResult>>>;
  readonly kSweep: KSweepResult | null;
}

export function collect(results: readonly CodebookTrialResult[], planned: PlannedTrials, withKSweep = true): PlanResults {
  return {
    schemes: Object.fromEntries(VQ_SCHEMES.map((s) => [s, find<VqTrialResult>(results, planned.schemes[s])])) as Record<Scheme, VqTrialResult>,
    extraK: planned.extraK.map((c) => find<VqTrialResult>(results, c)),
    entropySweep: planned.entropySweep.length === 0 ? [] : [
      { K: planned.schemes.vqvae.model.K, vqvae: find<VqTrialResult>(results, planned.schemes.vqvae), vqvae_entropy: find<VqTrialResult>(results, planned.schemes.vqvae_entropy) },
      ...planned.entropySweep.map((e) => ({ K: e.K, vqvae: find<VqTrialResult>(results, e.vqvae), vqvae_entropy: find<VqTrialResult>(results, e.vqvae_entropy) })),
    ].sort((a, b) => a.K - b.K),
    separate: Object.fromEntries(planned.separate.map((c) => [c.codec, find<SeparateTrialResult>(results, c)])),
    kSweep: withKSweep ? find<KSweepResult>(results, planned.kSweep) : null,
  };
}
