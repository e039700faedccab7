/**
 * One trained-and-evaluated configuration: the function runSweep's workers call. Models are checkpointed under
 * cacheDir('models', 'e2ec', <hash of config and code version>), so an interrupted sweep resumes and a finished one
 * is only loaded.
 * Evaluation always uses all TEST_DIGITS (10,000) MNIST test digits in their file order, whatever the config's
 * `testCount` says: that field stays in the configs only because it is part of the trained models' cache keys.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, assertInteger, assertPositive, cacheDir, writeJsonAtomic } from '../../core/index.js';
import { tf, codeKeyedHash, describeBackend, initBackend, train, type Params } from '../../nn/index.js';
import { validateE2ec, d2jsccConfig, rdboConfig, type AnyConfig, type D2jsccConfig, type E2ecConfig, type RdboConfig } from './config.js';
import { StepBatches, mnistNormalised, type Digits } from './data.js';
import { d2jsccForward, d2jsccLoss, initD2jscc, initRdbo, rdboEvaluate, rdboLoss } from './baselines.js';
import { chooseCheckpoint, embeddingGeometry, evaluateE2ec, semanticMetrics, validationPoint, type BlockImportance, type CurvePoint, type DropsByDigit, type E2ecEval, type EmbeddingGeometry, type SemanticMetrics } from './evaluate.js';
import { splitDigits } from './plan.js';
import { CLASSES, crossEntropy, e2ecSurrogate, initE2ec, type StepStats } from './model.js';

export interface HistoryPoint extends StepStats { step: number }

/** Every evaluation uses the whole MNIST test set (10,000 digits), in file order, so per-digit scores pair up across models. */
export const TEST_DIGITS = 10000;

export interface TrainInfo {
  steps: number;
  epochs: number;
  seconds: number;
  msPerStep: number;
  fromCache: boolean;
  backend: string;
}

export interface E2ecTrialResult {
  kind: 'e2ec';
  config: E2ecConfig;
  train: TrainInfo;
  history: HistoryPoint[];
  eval: E2ecEval;
  importance: BlockImportance[];
  /** Per test digit: accuracy drop summed over the early and over the late 4-bit blocks (Fig. 2(e)). */
  drops: DropsByDigit;
  embedInit: EmbeddingGeometry;
  embedFinal: EmbeddingGeometry;
  /**
   * Learning curve on the validation half of the test digits (splitDigits), every `evalEvery` steps from step 0;
   * empty without evalEvery.
   */
  curve: CurvePoint[];
  /** The curve point whose weights every other field describes (lowest validation objective); null without a curve. */
  chosen: CurvePoint | null;
}

export interface BaselineTrialResult {
  kind: 'd2jscc' | 'rdbo';
  config: D2jsccConfig | RdboConfig;
  train: TrainInfo;
  /** rateBits: d (d2-JSCC) or Î(X;Z)/ln 2 on the test set (RDBO). */
  eval: SemanticMetrics;
}

export type TrialResult = E2ecTrialResult | BaselineTrialResult;

type LossFn = (x: tf.Tensor2D, y: Uint8Array, rng: Rng, step: number) => tf.Scalar;

interface Phase { readonly dir: string; readonly config: unknown; readonly steps: number; readonly offset: number; readonly lr: number }

/** Validation evaluations during training: a point every `every` steps (global step count), with a weight snapshot. */
interface CurveHook {
  readonly every: number;
  readonly points: CurvePoint[];
  readonly evaluate: (step: number) => CurvePoint;
}

/** One train() call: steps offset+1 … offset+steps, history (and curve) saved beside its checkpoints and restored on resume. */
async function trainPhase(cfg: AnyConfig, ph: Phase, params: Params, rng: Rng, batches: StepBatches, lossFn: LossFn, history?: HistoryPoint[], curve?: CurveHook) {
  const histPath = join(ph.dir, 'history.json');
  const curvePath = join(ph.dir, 'curve.json');
  const every = Math.max(1, Math.floor(ph.steps / 10));
  const res = await train({
    params, steps: ph.steps, rng, config: ph.config, checkpointDir: ph.dir, checkpointEvery: every,
    codeModule: import.meta.url,
    optimizer: { lr: ph.lr, weightDecay: cfg.weightDecay },
    lossFn: ({ step, rng: r }) => {
      const { x, y } = batches.batch(ph.offset + step);
      return lossFn(tf.tensor2d(x, [cfg.batchSize, 784]), y, r, ph.offset + step);
    },
    progressEvery: curve ? 1 : every,
    onProgress: ({ step }) => {
      if (curve && (ph.offset + step) % curve.every === 0) {
        curve.points.push(curve.evaluate(ph.offset + step));
        writeSnapshot(ph.dir, ph.offset + step, params);
      }
      if (step % every !== 0 && step !== ph.steps) return; // the checkpoint steps (train() writes one right after)
      if (history) writeJsonAtomic(histPath, history);
      if (curve) writeJsonAtomic(curvePath, curve.points);
    },
  });
  if (res.resumedFrom > 0) {
    const upTo = ph.offset + res.resumedFrom;
    const restore = <T extends { step: number }>(path: string, into: T[]) => {
      if (!existsSync(path)) return;
      const saved = (JSON.parse(readFileSync(path, 'utf8')) as T[]).filter((h) => h.step <= upTo && h.step > ph.offset);
      const before = into.filter((h) => h.step <= ph.offset);
      const fresh = into.filter((h) => h.step > upTo);
      into.splice(0, into.length, ...before, ...saved, ...fresh);
    };
    if (history) restore(histPath, history);
    if (curve) restore(curvePath, curve.points);
  }
  return res;
}

/** Raw float32 weights of every parameter (sorted names), written atomically as snap-<step>.f32 in `dir`. */
function writeSnapshot(dir: string, step: number, params: Params): void {
  const names = Object.keys(params).sort();
  const parts = names.map((k) => params[k].dataSync() as Float32Array);
  const buf = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { buf.set(p, o); o += p.length; }
  const path = join(dir, `snap-${step}.f32`);
  writeFileSync(`${path}.tmp`, Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  renameSync(`${path}.tmp`, path);
}

/** Loads snap-<step>.f32 of `dir` into `params` (same names and shapes as when written). */
function readSnapshot(dir: string, step: number, params: Params): void {
  const raw = readFileSync(join(dir, `snap-${step}.f32`));
  const buf = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let o = 0;
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    const size = v.size;
    if (o + size > buf.length) throw new RangeError(`snapshot ${dir}/snap-${step}.f32 is shorter than the model's parameters`);
    v.assign(tf.tensor(buf.subarray(o, o + size), v.shape));
    o += size;
  }
  if (o !== buf.length) throw new RangeError(`snapshot ${dir}/snap-${step}.f32 does not match the model's parameters`);
}

/** Deletes the snapshots of `dir` except snap-<keep>.f32 (the chosen checkpoint stays for re-evaluation). */
function pruneSnapshots(dir: string, keep: number | null): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (/^snap-\d+\.f32$/.test(f) && f !== `snap-${keep}.f32`) rmSync(join(dir, f));
}

/**
 * Trains `steps` at `lr`, then (fineTuneSteps > 0) continues at fineTuneLr with a fresh Adam. The first phase is
 * cached under the hash of the config without the fine-tune fields, so adding a fine-tune reuses a trained model.
 */
async function fit(cfg: AnyConfig, params: Params, rng: Rng, lossFn: LossFn, history?: HistoryPoint[], curve?: CurveHook): Promise<{ info: TrainInfo; dirs: string[] }> {
  const data = mnistNormalised('train', cfg.trainCount, cfg.seed);
  const batches = new StepBatches(data, cfg.batchSize, cfg.seed);
  const { fineTuneSteps = 0, fineTuneLr = cfg.lr / 10, ...first } = cfg;
  assertInteger('fineTuneSteps', fineTuneSteps, 0);
  assertPositive('fineTuneLr', fineTuneLr);
  const dir1 = cacheDir('models', 'e2ec', codeKeyedHash(first, import.meta.url).slice(0, 24));
  const r1 = await trainPhase(cfg, { dir: dir1, config: first, steps: cfg.steps, offset: 0, lr: cfg.lr }, params, rng, batches, lossFn, history, curve);
  const dirs = [dir1];
  let ms = r1.elapsedMs;
  let fromCache = r1.fromCache;
  if (fineTuneSteps > 0) {
    const dir2 = cacheDir('models', 'e2ec', codeKeyedHash(cfg, import.meta.url).slice(0, 24));
    const r2 = await trainPhase(cfg, { dir: dir2, config: cfg, steps: fineTuneSteps, offset: cfg.steps, lr: fineTuneLr }, params, rng, batches, lossFn, history, curve);
    dirs.push(dir2);
    ms += r2.elapsedMs;
    fromCache = fromCache && r2.fromCache;
  }
  const total = cfg.steps + fineTuneSteps;
  const info = {
    steps: total, epochs: (total * cfg.batchSize) / data.n, seconds: ms / 1000,
    msPerStep: ms / total, fromCache, backend: describeBackend(),
  };
  return { info, dirs };
}

async function e2ecTrial(cfg: E2ecConfig): Promise<E2ecTrialResult> {
  validateE2ec(cfg);
  const rng = new Rng(cfg.seed);
  const p = initE2ec(cfg, rng);
  const embedInit = embeddingGeometry(p.emb.dataSync() as Float32Array, cfg.maxLength, cfg.embedDim);
  const history: HistoryPoint[] = [];
  const test = mnistNormalised('test', TEST_DIGITS, cfg.seed);
  const evalEvery = cfg.evalEvery ?? 0;
  let curve: CurveHook | undefined;
  if (evalEvery > 0) {
    const val = pickDigits(test, splitDigits(TEST_DIGITS).validation);
    const trainN = Math.min(cfg.trainCount, 60000);
    // The same sampling seed at every point: differences along the curve are the model's, not the draws'.
    const evaluate = (step: number) => validationPoint(p, cfg, val, cfg.seed + 2, { step, epoch: (step * cfg.batchSize) / trainN });
    curve = { every: evalEvery, points: [evaluate(0)], evaluate };
  }
  const { info, dirs } = await fit(cfg, p, rng, (x, y, r, step) =>
    e2ecSurrogate(p, cfg, x, y, r, step % cfg.logEvery === 0 || step === 1 ? (s) => history.push({ step, ...s }) : undefined), history, curve);
  let chosen: CurvePoint | null = null;
  if (curve) {
    chosen = chooseCheckpoint(curve.points.filter((c) => c.step > 0));
    const dir = chosen.step <= cfg.steps ? dirs[0] : dirs[1];
    if (chosen.step !== info.steps) readSnapshot(dir, chosen.step, p);
    dirs.forEach((d) => pruneSnapshots(d, d === dir ? chosen?.step ?? null : null));
  }
  const ev = evaluateE2ec(p, cfg, test, cfg.seed + 1);
  const embedFinal = embeddingGeometry(p.emb.dataSync() as Float32Array, cfg.maxLength, cfg.embedDim);
  tf.dispose(Object.values(p));
  return { kind: 'e2ec', config: cfg, train: info, history, eval: ev.metrics, importance: ev.importance, drops: ev.drops, embedInit, embedFinal, curve: curve?.points ?? [], chosen };
}

/** The digits at `idx` (in that order). */
function pickDigits(d: Digits, idx: readonly number[]): Digits {
  const x = new Float32Array(idx.length * 784);
  const y = new Uint8Array(idx.length);
  idx.forEach((i, k) => { x.set(d.x.subarray(i * 784, (i + 1) * 784), k * 784); y[k] = d.y[i]; });
  return { x, y, n: idx.length };
}

/**
 * Evaluates a baseline on every test digit in chunks of `chunk`; the last, shorter remainder is evaluated in a full
 * chunk ending at the last digit (so a batch-dependent rate keeps its batch size) and only its new digits are kept.
 */
function evalBaseline(test: Digits, chunk: number, step: (x: tf.Tensor2D, y: Uint8Array) => { ce: ArrayLike<number>; pred: ArrayLike<number>; bits: ArrayLike<number> }): SemanticMetrics {
  const size = Math.min(chunk, test.n);
  const correct = new Uint8Array(test.n);
  const bits = new Float64Array(test.n);
  let ce = 0;
  for (let done = 0; done < test.n;) {
    const s = Math.min(done, test.n - size);
    const y = test.y.subarray(s, s + size);
    tf.engine().startScope(); // tidy only returns tensors; this scope frees everything the step made
    let r: { ce: ArrayLike<number>; pred: ArrayLike<number>; bits: ArrayLike<number> };
    try {
      r = step(tf.tensor2d(test.x.subarray(s * 784, (s + size) * 784), [size, 784]), y);
    } finally {
      tf.engine().endScope();
    }
    for (let i = done - s; i < size; i++) {
      ce += r.ce[i];
      correct[s + i] = r.pred[i] === y[i] ? 1 : 0;
      bits[s + i] = r.bits[i];
    }
    done = s + size;
  }
  return semanticMetrics(bits, ce / test.n, correct);
}

async function baselineTrial(cfg: D2jsccConfig | RdboConfig): Promise<BaselineTrialResult> {
  const rng = new Rng(cfg.seed);
  const test = mnistNormalised('test', TEST_DIGITS, cfg.seed);
  const evalRng = new Rng(cfg.seed + 1);
  if (cfg.kind === 'd2jscc') {
    const c = d2jsccConfig(cfg);
    const p = initD2jscc(c, rng);
    const { info } = await fit(c, p, rng, (x, y, r) => d2jsccLoss(p, c, x, y, r));
    const m = evalBaseline(test, 1000, (x, y) => {
      const logits = d2jsccForward(p, c, x, evalRng, false);
      return { ce: perDigitCe(logits, y), pred: tf.argMax(logits, 1).dataSync(), bits: new Float64Array(y.length).fill(c.d) };
    });
    tf.dispose(Object.values(p));
    return { kind: 'd2jscc', config: c, train: info, eval: m };
  }
  const c = rdboConfig(cfg);
  const p = initRdbo(c, rng);
  const { info } = await fit(c, p, rng, (x, y, r) => rdboLoss(p, c, x, y, r));
  // Î depends on the batch size (capped at log B per dimension): estimate it with the training batch size.
  const m = evalBaseline(test, c.batchSize, (x, y) => {
    const { logits, miPerSample } = rdboEvaluate(p, c, x, evalRng);
    return { ce: perDigitCe(logits, y), pred: tf.argMax(logits, 1).dataSync(), bits: miPerSample.map((v) => v / Math.LN2) };
  });
  tf.dispose(Object.values(p));
  return { kind: 'rdbo', config: c, train: info, eval: m };
}

function perDigitCe(logits: tf.Tensor2D, y: Uint8Array): Float32Array {
  const oh = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES) as tf.Tensor2D;
  return crossEntropy(logits, oh).dataSync() as Float32Array;
}

/** runSweep entry point: trains (or loads) one configuration and evaluates it on the test digits. */
export async function runTrial(cfg: AnyConfig): Promise<TrialResult> {
  await initBackend();
  if (cfg.kind === 'e2ec') return e2ecTrial(cfg);
  if (cfg.kind === 'd2jscc' || cfg.kind === 'rdbo') return baselineTrial(cfg);
  throw new RangeError(`config.kind must be 'e2ec', 'd2jscc' or 'rdbo', got ${JSON.stringify((cfg as { kind?: unknown }).kind)}`);
}
