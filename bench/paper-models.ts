/**
 * The four paper models `npm run bench` times, each as the project trains it: the configuration a full-profile
 * notebook run trains (the notebook's `parameters` cell overridden by `metadata.workbook.profiles.full`, turned
 * into a model configuration by the paper's own plan/config code), the paper's own init, loss and Adam settings,
 * and lib/nn's makeTrainStep — the step function train() runs. Only the batch differs from training: a fixed
 * synthetic batch of the training shape (uniform pixels, random digits) instead of one drawn from the data set,
 * so the bench needs no data cache; the step's cost does not depend on pixel values. The tensor is still built
 * from a Float32Array inside each step, as the training loops do.
 *
 * Rows (model names as in issue 15 and build/bench/nn.json):
 *   vscc          VSCC codec (Fig. 5 at the notebook's 32×32 scale), VSCC loss (10), the first model of the plan
 *   e2ec-sweep    E2EC at the notebook's λ-sweep / Fig. 2(a) configuration (trunks 256/256, K = 4; Table I trains the
 *                 authors' architecture since issue 16, which is the e2ec-authors row)
 *   e2ec-authors  E2EC at the authors' configuration (lib/papers/e2ec/config.ts defaults: trunks 1024/512, K = 1)
 *   codebook      the codebook paper's VQ-VAE, scheme 'proposed' (entropy + channel-aware + Gram losses)
 * `spec` is what the PyTorch mirror (bench/peers/) is built from: the same configuration object, plus constants
 * the loss needs that are computed here once (the design channel's transition matrix).
 */
import { join } from 'node:path';
import { Rng, projectRoot } from '../lib/core/index.js';
import { Adam, makeTrainStep, tf, type AdamOptions, type Params, type TrainStep } from '../lib/nn/index.js';
import { declaredParameters, readNotebook, type ParamValue } from '../lib/workbook/notebook.js';
import { planTrials as planVscc, type VsccPlan } from '../lib/papers/vscc/plan.js';
import type { ModelConfig as VsccConfig } from '../lib/papers/vscc/config.js';
import { initCodec, trainingLoss } from '../lib/papers/vscc/model.js';
import { e2ecConfig, type E2ecConfig } from '../lib/papers/e2ec/config.js';
import { e2ecSurrogate, initE2ec, INPUT_DIM, CLASSES } from '../lib/papers/e2ec/model.js';
import { designEpsilon, latentsPerImage, vqConfig, type VqModelConfig } from '../lib/papers/codebook/config.js';
import { designTransition, initVqModel, vqForward } from '../lib/papers/codebook/model.js';

export const PAPER_MODELS = ['vscc', 'e2ec-sweep', 'e2ec-authors', 'codebook'] as const;
export type PaperModel = (typeof PAPER_MODELS)[number];

/** One model ready to step: parameters, its Adam, and the training step on a fixed batch. */
export interface BenchModel {
  readonly model: PaperModel;
  /** Human-readable configuration (shapes, batch, loss) for the table. */
  readonly config: string;
  readonly batchSize: number;
  readonly params: Params;
  /** One training step (forward, backward, Adam update); returns the loss. */
  readonly step: () => number;
  /** What the PyTorch mirror is built from (JSON-serialisable). */
  readonly spec: Record<string, unknown>;
  dispose(): void;
}

/** Total number of trainable scalars. */
export function paramCount(p: Params): number {
  return Object.values(p).reduce((s, v) => s + v.size, 0);
}

/** A TypeScript literal of a notebook's parameters cell as a value (JSON after single → double quotes). */
function literal(src: string): ParamValue | undefined {
  const s = src.trim();
  for (const t of [s, s.includes('"') ? null : s.replace(/'/g, '"')]) {
    if (t === null) continue;
    try {
      return JSON.parse(t) as ParamValue;
    } catch {
      // not JSON: try the next form
    }
  }
  return undefined;
}

/**
 * The parameters a full-profile run of notebooks/<paper>.ipynb uses: the declared defaults of its parameters cell,
 * overridden by metadata.workbook.profiles.full (what `workbook run <paper> --profile full` injects).
 */
export function fullProfileParameters(paper: 'vscc' | 'e2ec' | 'codebook'): Record<string, ParamValue> {
  const nb = readNotebook(join(projectRoot(), 'notebooks', `${paper}.ipynb`));
  const out: Record<string, ParamValue> = {};
  for (const [k, src] of declaredParameters(nb).names) {
    const v = literal(src);
    if (v !== undefined) out[k] = v;
  }
  return { ...out, ...(nb.metadata.workbook?.profiles?.full ?? {}) };
}

type Kind = 'number' | 'array' | 'boolean';

function need<T extends ParamValue>(p: Record<string, ParamValue>, key: string, kind: Kind): T {
  const v = p[key];
  const ok = kind === 'array' ? Array.isArray(v) : typeof v === kind;
  if (!ok) throw new TypeError(`notebook parameter ${key} must be a ${kind}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** The VSCC model of the full profile's plan (first planned model: VSCC loss at the lowest training SNR and CMC). */
export function vsccBenchConfig(): VsccConfig {
  const p = fullProfileParameters('vscc');
  const n = (k: string) => need<number>(p, k, 'number');
  const a = (k: string) => need<number[]>(p, k, 'array');
  const plan: VsccPlan = {
    arch: {
      imageSize: n('imageSize'), baseChannels: n('baseChannels'), stageChannels: a('stageChannels'),
      latentChannels: n('latentChannels'),
      encoderBottleneckBlocks: n('encoderBottleneckBlocks'), decoderBottleneckBlocks: n('decoderBottleneckBlocks'),
      decoderRefineBlocks: n('decoderRefineBlocks'), groups: n('groups'), attention: true,
    },
    steps: n('steps'), batchSize: n('batchSize'), lr: n('lr'), trainCount: n('trainCount'),
    decoderSigma: n('decoderSigma'), trainSeeds: a('trainSeeds'), trainSnrsDb: a('trainSnrs'), cmcs: a('cmcs'),
    testSnrsDb: a('testSnrs'), resamplings: n('resamplings'), testCount: n('testCount'),
    validationCount: n('validationCount'), kbCount: n('kbCount'), evalSeed: n('seed') + 1000, examples: n('examples'),
    warmStartSteps: n('warmStartSteps'), warmStartLr: n('warmStartLr'), lrWarmupSteps: n('lrWarmupSteps'),
  };
  const first = planVscc(plan).find((t) => t.method === 'vscc');
  if (!first) throw new RangeError('the VSCC plan has no VSCC model');
  return first.trial.model;
}

/**
 * E2EC at the full profile's λ-sweep configuration (Fig. 2(a)–(d): the notebook's `sweepE2ec` overrides — trunks,
 * content net, lr, K — over the shared settings; N = 64, ε = 0.1).
 */
export function e2ecSweepBenchConfig(): E2ecConfig {
  const p = fullProfileParameters('e2ec');
  const n = (k: string) => need<number>(p, k, 'number');
  const pair = (k: string) => need<number[]>(p, k, 'array') as unknown as [number, number];
  const samples = n('sweepSamples');
  return e2ecConfig({
    steps: n('sweepSteps'), fineTuneSteps: n('sweepFineTuneSteps'), fineTuneLr: n('fineTuneLr'), trainCount: n('trainCount'),
    testCount: n('testCount'), logEvery: n('logEvery'), seed: n('seed'), lr: n('sweepLr'), hidden: pair('sweepHidden'),
    contentHidden: pair('sweepContentHidden'), sharedTrunk: need<boolean>(p, 'sharedTrunk', 'boolean'),
    samples, baseline: samples > 1 ? 'leaveOneOut' : 'aux',
  });
}

/** E2EC at the authors' configuration: e2ecConfig's defaults (PAPER_TRAIN: batch 128, lr 1e-4, weight decay 1e-3). */
export function e2ecAuthorsBenchConfig(): E2ecConfig {
  return e2ecConfig();
}

/** The codebook notebook's 'proposed' model at the full profile. */
export function codebookBenchConfig(): VqModelConfig {
  const p = fullProfileParameters('codebook');
  const n = (k: string) => need<number>(p, k, 'number');
  const channelModel = p.channelModel;
  if (channelModel !== 'exact' && channelModel !== 'random-labelling') {
    const got = JSON.stringify(channelModel);
    throw new TypeError(`notebook parameter channelModel must be 'exact' or 'random-labelling', got ${got}`);
  }
  return vqConfig('proposed', {
    steps: n('steps'), batchSize: n('batchSize'), lr: n('lr'), width: n('width'), K: n('K'), D: n('D'), beta: n('beta'),
    lambdaH: n('lambdaH'), lambdaC: n('lambdaC'), lambdaP: n('lambdaP'), tau: n('tau'), designSnrDb: n('designSnrDb'),
    channelModel, seed: n('seed'),
    logEvery: Math.max(1, Math.floor(n('steps') / 40)),
  });
}

function uniformBatch(rng: Rng, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform();
  return x;
}

function assemble(model: PaperModel, config: string, batchSize: number, params: Params, optimizer: AdamOptions,
  loss: (rng: Rng) => tf.Scalar, spec: Record<string, unknown>, extra: tf.Tensor[] = []): BenchModel {
  const adam = new Adam(params, optimizer);
  const trainStep: TrainStep = makeTrainStep(params, adam);
  const rng = new Rng(7);
  return {
    model, config, batchSize, params, spec,
    step: () => trainStep(() => loss(rng)),
    dispose: () => {
      adam.dispose();
      tf.dispose([...Object.values(params), ...extra]);
    },
  };
}

function buildVscc(): BenchModel {
  const cfg = vsccBenchConfig();
  const params = initCodec(cfg, new Rng(cfg.seed));
  const shape: [number, number, number, number] = [cfg.batchSize, cfg.imageSize, cfg.imageSize, 3];
  const x = uniformBatch(new Rng(1), shape.reduce((a, b) => a * b, 1));
  const desc = `${cfg.imageSize}×${cfg.imageSize}×3, widths ${cfg.baseChannels}/${cfg.stageChannels.join('/')}, `
    + `k ${cfg.latentChannels}, batch ${cfg.batchSize}, `
    + `${cfg.method.toUpperCase()} loss (d = ${cfg.cmc}, ${cfg.trainSnrDb} dB)`;
  // As trial.ts's trainModel: Adam { lr, warmupSteps }, loss = trainingLoss(...).loss on a batch tensor made per step.
  return assemble('vscc', desc, cfg.batchSize, params, { lr: cfg.lr, warmupSteps: cfg.lrWarmupSteps },
    (rng) => trainingLoss(params, cfg, tf.tensor4d(x, shape), rng).loss, { config: cfg });
}

function buildE2ec(model: 'e2ec-sweep' | 'e2ec-authors'): BenchModel {
  const cfg = model === 'e2ec-sweep' ? e2ecSweepBenchConfig() : e2ecAuthorsBenchConfig();
  const params = initE2ec(cfg, new Rng(cfg.seed));
  const r = new Rng(2);
  const x = new Float32Array(cfg.batchSize * INPUT_DIM);
  for (let i = 0; i < x.length; i++) x[i] = (r.uniform() - 0.1307) / 0.3081; // the range of normalised MNIST pixels
  const y = Uint8Array.from({ length: cfg.batchSize }, () => r.int(CLASSES));
  const desc = `trunks ${cfg.hidden.join('/')}, content ${cfg.contentHidden.join('/')}, N ${cfg.maxLength}, `
    + `K = ${cfg.samples}, ${cfg.baseline} baseline, batch ${cfg.batchSize}, lr ${cfg.lr}`;
  // As trial.ts's fit/trainPhase: Adam { lr, weightDecay }, loss = e2ecSurrogate on a [batch, 784] tensor per step.
  return assemble(model, desc, cfg.batchSize, params, { lr: cfg.lr, weightDecay: cfg.weightDecay },
    (rng) => e2ecSurrogate(params, cfg, tf.tensor2d(x, [cfg.batchSize, INPUT_DIM]), y, rng), { config: cfg });
}

function buildCodebook(): BenchModel {
  const cfg = codebookBenchConfig();
  const params = initVqModel(cfg, new Rng(cfg.seed));
  const transition = designTransition(cfg);
  const shape: [number, number, number, number] = [cfg.batchSize, cfg.patchSize, cfg.patchSize, 3];
  const x = uniformBatch(new Rng(3), shape.reduce((a, b) => a * b, 1));
  const desc = `VQ-VAE '${cfg.scheme}', ${cfg.patchSize}×${cfg.patchSize}×3, width ${cfg.width}, `
    + `K ${cfg.K}, D ${cfg.D}, `
    + `N ${latentsPerImage(cfg)}, batch ${cfg.batchSize}`;
  // As train.ts's trainVqModel: Adam { lr }, loss = vqForward(...).parts.total on a batch tensor made in the step.
  return assemble('codebook', desc, cfg.batchSize, params, { lr: cfg.lr },
    () => vqForward(params, cfg, tf.tensor4d(x, shape), transition).parts.total,
    { config: cfg, designEpsilon: designEpsilon(cfg.designSnrDb), transition: Array.from(transition.dataSync()) },
    [transition]);
}

/** Builds one paper model (call `await initBackend()` first). */
export function buildBenchModel(model: PaperModel): BenchModel {
  switch (model) {
    case 'vscc': return buildVscc();
    case 'e2ec-sweep':
    case 'e2ec-authors': return buildE2ec(model);
    case 'codebook': return buildCodebook();
    default: throw new RangeError(`model must be one of ${PAPER_MODELS.join(', ')}, got ${JSON.stringify(model)}`);
  }
}
