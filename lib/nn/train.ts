/**
 * Training loop with progress, loss history, atomic checkpoints and resume.
 *
 * A checkpoint directory holds `checkpoint.json` (step, loss history, Rng state, Adam step, config hash, code
 * version, done flag) and step-tagged weight files `params-<step>.json/.bin`, `adam-<step>.json/.bin`. Weights are
 * written first,
 * checkpoint.json last (atomically), then older weight files are removed: a kill at any moment leaves a
 * consistent checkpoint. Everything random must come from the `rng` handed to `lossFn`, whose state is saved, so
 * resuming replays exactly the batches an uninterrupted run would have drawn.
 *
 * With `codeModule` (the module defining the loss, usually `import.meta.url`) the run's identity includes that
 * module's code version (code-version.ts: its compiled import graph and package versions): a checkpoint written by
 * other code is not resumed nor loaded — training starts over, with a warning — so a changed model or loss is never
 * silently served from the cache. checkpoint.json records the configuration hash and the code version separately
 * (`workbook cache list` shows both). Without `codeModule` the key is the configuration alone, as before.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, type RngState, assertFunction, assertInteger, assertObject, assertRng,
  writeJsonAtomic } from '../core/index.js';
import { tf } from './tf.js';
import type { Params } from './layers.js';
import { Adam, type AdamOptions } from './optim.js';
import { makeTrainStep } from './step.js';
import { saveWeights, loadWeights, loadWeightsInto } from './weights.js';
import { configHash } from './hash.js';
import { codeVersion, modulePathOf, projectRelative } from './code-version.js';
import { throwIfCancelled } from './cancel.js';

export interface TrainProgress {
  readonly step: number;
  readonly total: number;
  readonly loss: number;
  readonly elapsedMs: number;
}

export interface TrainOptions {
  /** Trainable variables, updated in place. */
  readonly params: Params;
  readonly steps: number;
  /** Loss of one step; draw batches/noise from `rng` only. Called inside tf.tidy + tf.variableGrads. */
  readonly lossFn: (ctx: { step: number; rng: Rng }) => tf.Scalar;
  readonly rng: Rng;
  readonly optimizer?: AdamOptions;
  /** Checkpoint/resume folder (e.g. cacheDir('runs', configHash(config))). Without it nothing is written. */
  readonly checkpointDir?: string;
  /** Steps between checkpoints (default: steps/10, at least 1). The final step is always checkpointed. */
  readonly checkpointEvery?: number;
  /** The run's identity (hyper-parameters, data choice...). Hashed together with steps and optimizer options. */
  readonly config?: unknown;
  /**
   * The module whose code version is part of the run's identity (path or file: URL; usually `import.meta.url` of the
   * module defining lossFn). Without it, checkpoints are keyed by the configuration only.
   */
  readonly codeModule?: string | URL;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Steps between onProgress calls (default 1; the last step always reports). */
  readonly progressEvery?: number;
  /** Stop (with a checkpoint) once this step is reached: an interruption on purpose (tests, time budgets). */
  readonly stopAtStep?: number;
}

export interface TrainResult {
  readonly params: Params;
  /** Loss at each step 1..stepsDone. */
  readonly lossHistory: number[];
  readonly stepsDone: number;
  readonly completed: boolean;
  /** The step training resumed from (0 for a fresh start). */
  readonly resumedFrom: number;
  /** True when a finished run with the same hash was loaded instead of trained. */
  readonly fromCache: boolean;
  readonly elapsedMs: number;
  readonly hash: string;
  /** The code version in the run's identity (null without codeModule). */
  readonly code: string | null;
}

/** The code behind a checkpoint: its module (relative to the project root when inside it) and code version. */
export interface CheckpointCode {
  module: string;
  version: string;
}

export interface CheckpointFile {
  version: 1;
  /** configHash({config, steps, optimizer}) and, with a code version, `code` too: the identity checked on resume. */
  hash: string;
  /** configHash({config, steps, optimizer}) alone (absent in checkpoints written before code versions). */
  configHash?: string;
  /** Absent or null: written without codeModule. */
  code?: CheckpointCode | null;
  step: number;
  steps: number;
  done: boolean;
  rng: RngState;
  adamStep: number;
  lossHistory: number[];
  elapsedMs: number;
}

const CKPT = 'checkpoint.json';

/** The most steps one train() call may run. */
export const MAX_TRAIN_STEPS = 1e8;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  assertObject('options', opts);
  assertRng('rng', opts.rng);
  assertFunction('lossFn', opts.lossFn);
  assertInteger('steps', opts.steps, 1, MAX_TRAIN_STEPS);
  const every = opts.checkpointEvery ?? Math.max(1, Math.floor(opts.steps / 10));
  assertInteger('checkpointEvery', every, 1);
  const progressEvery = opts.progressEvery ?? 1;
  assertInteger('progressEvery', progressEvery, 1);
  const stopAt = opts.stopAtStep ?? opts.steps;
  assertInteger('stopAtStep', stopAt, 0, opts.steps);
  const identity = checkpointIdentity(opts);
  const { hash } = identity;
  const names = Object.keys(opts.params);
  if (names.length === 0) throw new RangeError('params must hold at least one variable');

  const adam = new Adam(opts.params, opts.optimizer);
  let step = 0;
  let lossHistory: number[] = [];
  let priorMs = 0;
  const dir = opts.checkpointDir;
  try {
    const ck = dir ? readCheckpoint(dir, hash, identity) : null;
    if (ck && dir) {
      restore(dir, ck, opts.params, adam, opts.rng);
      ({ step, lossHistory, elapsedMs: priorMs } = ck);
      if (ck.done) {
        return {
          params: opts.params, lossHistory, stepsDone: step, completed: true, resumedFrom: step, fromCache: true,
          elapsedMs: priorMs, hash, code: identity.code?.version ?? null,
        };
      }
    }
    const resumedFrom = step;
    const t0 = Date.now();
    const trainStep = makeTrainStep(opts.params, adam);
    while (step < stopAt) {
      throwIfCancelled(); // resumable: the last checkpoint is kept
      const s = step + 1;
      const loss = trainStep(() => opts.lossFn({ step: s, rng: opts.rng }));
      if (!Number.isFinite(loss)) throw new RangeError(`loss is ${loss} at step ${s}: training diverged (lower lr?)`);
      step = s;
      lossHistory.push(loss);
      const elapsedMs = priorMs + Date.now() - t0;
      if (opts.onProgress && (step % progressEvery === 0 || step === stopAt)) {
        opts.onProgress({ step, total: opts.steps, loss, elapsedMs });
      }
      if (dir && (step % every === 0 || step === stopAt)) {
        await writeCheckpoint(dir, {
          version: 1, hash, configHash: identity.configHash, code: identity.code, step, steps: opts.steps,
          done: step === opts.steps, rng: opts.rng.getState(), adamStep: adam.step, lossHistory, elapsedMs,
        }, opts.params, adam);
      }
    }
    return {
      params: opts.params, lossHistory, stepsDone: step, completed: step === opts.steps, resumedFrom, fromCache: false,
      elapsedMs: priorMs + Date.now() - t0, hash, code: identity.code?.version ?? null,
    };
  } finally {
    adam.dispose();
  }
}

/** A run's identity: the configuration hash, the code behind it (if any), and the hash of both (the key). */
export interface CheckpointIdentity {
  readonly configHash: string;
  readonly code: CheckpointCode | null;
  readonly hash: string;
}

/** The identity train() gives a run of these options. */
export function checkpointIdentity(
  opts: Pick<TrainOptions, 'config' | 'steps' | 'optimizer' | 'codeModule'>,
): CheckpointIdentity {
  assertObject('options', opts);
  assertInteger('steps', opts.steps, 1, MAX_TRAIN_STEPS);
  const base = { config: opts.config ?? null, steps: opts.steps, optimizer: opts.optimizer ?? {} };
  const cfgHash = configHash(base);
  if (opts.codeModule === undefined) return { configHash: cfgHash, code: null, hash: cfgHash };
  const path = modulePathOf(opts.codeModule);
  const code = { module: projectRelative(path), version: codeVersion(path).version };
  return { configHash: cfgHash, code, hash: configHash({ ...base, code: code.version }) };
}

/**
 * The checkpoint in dir, or null when there is none — or when checkpoint.json is corrupted (truncated, not JSON,
 * a field missing or out of range, its weight files missing): then a warning names the file and training starts
 * over (the next checkpoint replaces it). Also null, with a warning, for a checkpoint of the same configuration
 * written by another code version (`identity` given): stale, so retrained, never used. A well-formed checkpoint of
 * another configuration is an error (the folder is shared by two runs), as before.
 */
export function readCheckpoint(dir: string, hash: string, identity?: CheckpointIdentity): CheckpointFile | null {
  const path = join(dir, CKPT);
  if (!existsSync(path)) return null;
  const corrupt = (why: string): null => {
    process.emitWarning(`ignoring corrupted checkpoint ${path}: ${why}; training starts over`, { code: 'WORKBOOK_CACHE_CORRUPT' });
    return null;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return corrupt(`not valid JSON (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return corrupt('not a JSON object');
  const ck = raw as Record<string, unknown>;
  if (typeof ck.hash !== 'string' || !/^[0-9a-f]{64}$/.test(ck.hash)) return corrupt(`hash is ${JSON.stringify(ck.hash)}, not a sha256`);
  if (ck.hash !== hash && identity && identity.hash === hash) {
    // The same configuration from other code: configHash recorded, or (older checkpoints) the hash was the config's.
    const stored = typeof ck.configHash === 'string' ? ck.configHash : ck.code ? null : ck.hash;
    if (stored === identity.configHash) {
      const was = (ck.code as CheckpointCode | null | undefined)?.version?.slice(0, 12) ?? 'none';
      const now = identity.code?.version.slice(0, 12) ?? 'none';
      const message = `ignoring stale checkpoint ${path}: written by other code (code version ${was}, now ${now})`;
      process.emitWarning(`${message}; training starts over`, { code: 'WORKBOOK_CACHE_STALE' });
      return null;
    }
  }
  if (ck.hash !== hash) {
    throw new RangeError(`checkpointDir ${dir} holds a run with another config hash (${ck.hash.slice(0, 12)}, this run ${hash.slice(0, 12)}): use a folder per config, e.g. cacheDir('runs', hash)`);
  }
  const problem = checkpointProblem(ck);
  if (problem) return corrupt(problem);
  const step = ck.step as number;
  for (const f of [`params-${step}.json`, `params-${step}.bin`, `adam-${step}.json`, `adam-${step}.bin`]) {
    if (!existsSync(join(dir, f))) return corrupt(`its weight file ${f} is missing`);
  }
  return ck as unknown as CheckpointFile;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** What is wrong with a parsed checkpoint.json (whose hash matched), or null. */
function checkpointProblem(ck: Record<string, unknown>): string | null {
  if (ck.version !== 1) return `version is ${JSON.stringify(ck.version)}, not 1`;
  const sha = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (ck.configHash !== undefined && !sha(ck.configHash)) return `configHash is ${JSON.stringify(ck.configHash)}`;
  const code = ck.code as { module?: unknown; version?: unknown } | null | undefined;
  const codeOk = code === undefined || code === null
    || (typeof code === 'object' && typeof code.module === 'string' && sha(code.version));
  if (!codeOk) {
    return `code is ${JSON.stringify(code)}, not {module, version}`;
  }
  if (!isCount(ck.steps) || ck.steps < 1) return `steps is ${JSON.stringify(ck.steps)}, not a positive integer`;
  if (!isCount(ck.step) || ck.step < 1 || ck.step > ck.steps) return `step is ${JSON.stringify(ck.step)}, not an integer in 1..${ck.steps}`;
  if (typeof ck.done !== 'boolean' || ck.done !== (ck.step === ck.steps)) return `done is ${JSON.stringify(ck.done)} at step ${ck.step} of ${ck.steps}`;
  if (!isCount(ck.adamStep)) return `adamStep is ${JSON.stringify(ck.adamStep)}, not a non-negative integer`;
  if (typeof ck.elapsedMs !== 'number' || !Number.isFinite(ck.elapsedMs) || ck.elapsedMs < 0) return `elapsedMs is ${JSON.stringify(ck.elapsedMs)}`;
  const h = ck.lossHistory;
  if (!Array.isArray(h) || h.length !== ck.step || !h.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return `lossHistory is not ${ck.step} finite numbers`;
  }
  const rng = ck.rng as { s?: unknown; spare?: unknown } | null;
  const words = rng && typeof rng === 'object' ? rng.s : undefined;
  if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 32)) {
    return 'rng.s is not four 32-bit integers';
  }
  if (!(rng?.spare === null || (typeof rng?.spare === 'number' && Number.isFinite(rng.spare)))) return 'rng.spare is not null or a finite number';
  return null;
}

function restore(dir: string, ck: CheckpointFile, params: Params, adam: Adam, rng: Rng): void {
  loadWeightsInto(join(dir, `params-${ck.step}.json`), params);
  const { tensors } = loadWeights(join(dir, `adam-${ck.step}.json`));
  try {
    const m: Record<string, tf.Tensor> = {};
    const v: Record<string, tf.Tensor> = {};
    for (const k of Object.keys(params)) {
      m[k] = tensors[`m/${k}`];
      v[k] = tensors[`v/${k}`];
    }
    adam.setState({ step: ck.adamStep, m, v });
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
  rng.setState(ck.rng);
}

async function writeCheckpoint(dir: string, ck: CheckpointFile, params: Params, adam: Adam): Promise<void> {
  await saveWeights(join(dir, `params-${ck.step}.json`), params);
  const st = adam.getState();
  const moments: Record<string, tf.Tensor> = {};
  for (const k of Object.keys(st.m)) {
    moments[`m/${k}`] = st.m[k];
    moments[`v/${k}`] = st.v[k];
  }
  await saveWeights(join(dir, `adam-${ck.step}.json`), moments);
  writeJsonAtomic(join(dir, CKPT), ck);
  for (const f of readdirSync(dir)) {
    const m = /^(params|adam)-(\d+)\.(json|bin)$/.exec(f);
    if (m && Number(m[2]) !== ck.step) rmSync(join(dir, f), { force: true });
  }
}

/** Progress callback drawing a one-line bar on stderr, only when stderr is a TTY (quiet in CI/logs/notebooks). */
export function cliProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): (p: TrainProgress) => void {
  assertObject('stream', stream);
  assertInteger('width', width, 1, 1000);
  if (!stream.isTTY) return () => {};
  return ({ step, total, loss, elapsedMs }) => {
    const done = Math.round((width * step) / total);
    const eta = step > 0 ? ((elapsedMs / step) * (total - step)) / 1000 : 0;
    stream.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${step}/${total} loss ${loss.toPrecision(4)} eta ${eta.toFixed(0)}s`);
    if (step === total) stream.write('\n');
  };
}
