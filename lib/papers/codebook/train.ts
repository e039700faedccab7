/**
 * Training of one codebook-paper VQ-VAE with lib/nn's train(): batches of photo patches drawn from the seeded
 * Rng (so a resumed run replays the same batches), the loss breakdown logged every `logEvery` steps, checkpoints
 * under cacheDir('models', 'codebook', <hash of config and code version>) so a finished model is only loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, cacheDir, writeJsonAtomic } from '../../core/index.js';
import { DATASET_SUBSET_SEED, loadDatasetImages, loadPhotoPatches, type DatasetName, type PhotoPatchSet } from '../../data/index.js';
import {
  tf, backendChoice, codeKeyedHash, describeBackend, initBackend, train, type Params, type TrainProgress,
} from '../../nn/index.js';
import { validateVq, type VqModelConfig } from './config.js';
import { designTransition, initVqModel, vqForward } from './model.js';
import { indexCounts, type LossBreakdown } from './losses.js';
import { usageStats } from './analysis.js';

export interface HistoryPoint {
  readonly step: number;
  readonly recon: number;
  readonly perceptual: number;
  readonly codebook: number;
  readonly commitment: number;
  /** Differentiable estimate Ĥ (nats). */
  readonly entropy: number;
  readonly channelAware: number;
  readonly total: number;
  /** Perplexity of the batch's hard index histogram (eq. 11 counts). */
  readonly batchPerplexity: number;
}

export interface TrainInfo {
  readonly steps: number;
  readonly epochs: number;
  /** Wall seconds of training (sum over resumed pieces). */
  readonly seconds: number;
  readonly msPerStep: number;
  /** Process CPU ms per step of this session's steps (null when loaded from cache): wall time on an idle core. */
  readonly cpuMsPerStep: number | null;
  readonly fromCache: boolean;
  readonly backend: string;
}

export interface TrainedVq {
  readonly params: Params;
  readonly info: TrainInfo;
  readonly history: HistoryPoint[];
}

export interface TrainVqOptions {
  /** Checkpoint root (default cacheDir('models', 'codebook')). */
  readonly cacheRoot?: string;
  /** Training patches (default: the photo set's train split at cfg.patchSize). */
  readonly data?: PhotoPatchSet;
  readonly onProgress?: (p: TrainProgress) => void;
}

/** The checkpoint folder of a configuration. */
export function modelDir(cfg: VqModelConfig, root = cacheDir('models', 'codebook')): string {
  return join(root, codeKeyedHash(cfg, import.meta.url).slice(0, 24));
}

/** What training draws from: n square RGB images, flat n × height × width × 3 in [0, 1]. */
type TrainImages = Pick<PhotoPatchSet, 'x' | 'n' | 'width' | 'height'>;

function drawBatch(data: TrainImages, size: number, rng: Rng): Float32Array {
  const d = data.width * data.height * 3;
  const x = new Float32Array(size * d);
  for (let b = 0; b < size; b++) {
    const i = rng.int(data.n);
    x.set(data.x.subarray(i * d, (i + 1) * d), b * d);
  }
  return x;
}

/** The whole train split of a paper dataset at size × size. */
async function datasetTrainImages(dataset: DatasetName, size: number): Promise<TrainImages> {
  const s = await loadDatasetImages({ dataset, split: 'train', size, seed: DATASET_SUBSET_SEED });
  return { x: s.x, n: s.n, width: s.size, height: s.size };
}

/** Trains (or loads from the cache) one model; the caller owns `params` (dispose them). */
export async function trainVqModel(cfg: VqModelConfig, opts: TrainVqOptions = {}): Promise<TrainedVq> {
  validateVq(cfg);
  if (backendChoice() === null) await initBackend();
  const data: TrainImages = opts.data
    ?? (cfg.dataset === undefined
      ? loadPhotoPatches({ split: 'train', patchSize: cfg.patchSize })
      : await datasetTrainImages(cfg.dataset, cfg.patchSize));
  if (data.width !== cfg.patchSize) throw new RangeError(`data patches are ${data.width} px, config says ${cfg.patchSize}`);
  const rng = new Rng(cfg.seed);
  const params = initVqModel(cfg, rng);
  const transition = tf.keep(designTransition(cfg));
  const dir = modelDir(cfg, opts.cacheRoot);
  const histPath = join(dir, 'history.json');
  const history: HistoryPoint[] = [];
  const every = Math.max(1, Math.floor(cfg.steps / 10));
  const cpu0 = process.cpuUsage();
  try {
    const res = await train({
      params, steps: cfg.steps, rng, config: cfg, checkpointDir: dir, checkpointEvery: every,
      codeModule: import.meta.url,
      optimizer: { lr: cfg.lr },
      lossFn: ({ step, rng: r }) => {
        const x = tf.tensor4d(drawBatch(data, cfg.batchSize, r), [cfg.batchSize, cfg.patchSize, cfg.patchSize, 3]);
        const f = vqForward(params, cfg, x, transition);
        if (step === 1 || step % cfg.logEvery === 0) history.push(logPoint(step, f.parts, f.indices, cfg.K));
        return f.parts.total;
      },
      progressEvery: every,
      onProgress: (p) => {
        writeJsonAtomic(histPath, history);
        opts.onProgress?.(p);
      },
    });
    const cpu = process.cpuUsage(cpu0);
    const fresh = res.stepsDone - res.resumedFrom;
    restoreHistory(history, histPath, res.resumedFrom);
    const info: TrainInfo = {
      steps: cfg.steps, epochs: (cfg.steps * cfg.batchSize) / data.n, seconds: res.elapsedMs / 1000,
      msPerStep: res.elapsedMs / cfg.steps, cpuMsPerStep: res.fromCache || fresh === 0 ? null : (cpu.user + cpu.system) / 1000 / fresh,
      fromCache: res.fromCache, backend: describeBackend(),
    };
    return { params, info, history };
  } finally {
    transition.dispose();
  }
}

function logPoint(step: number, parts: LossBreakdown, indices: tf.Tensor1D, K: number): HistoryPoint {
  const v = (k: keyof LossBreakdown) => parts[k].dataSync()[0];
  const counts = indexCounts(indices.dataSync(), K);
  return {
    step, recon: v('recon'), perceptual: v('perceptual'), codebook: v('codebook'), commitment: v('commitment'),
    entropy: v('entropy'), channelAware: v('channelAware'), total: v('total'), batchPerplexity: usageStats(counts).perplexity,
  };
}

/** After a resume (or a cache hit) the steps before it were logged by an earlier process: take them from disk. */
function restoreHistory(history: HistoryPoint[], path: string, resumedFrom: number): void {
  if (resumedFrom === 0 || !existsSync(path)) return;
  const saved = (JSON.parse(readFileSync(path, 'utf8')) as HistoryPoint[]).filter((h) => h.step <= resumedFrom);
  const fresh = history.filter((h) => h.step > resumedFrom);
  history.splice(0, history.length, ...saved, ...fresh);
  writeJsonAtomic(path, history);
}
