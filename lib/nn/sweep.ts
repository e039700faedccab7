/**
 * Sweep runner: independent configurations trained in parallel worker processes (child_process.fork, one
 * per core by default: tfjs wasm is single-threaded, so processes are how a sweep uses every core).
 *
 * Worker contract: `module` (path or file: URL) exports `exportName`, an (async) function config → JSON result.
 * Each finished result is cached as <cacheDir>/<hash>.json, hash = configHash({module, exportName, config, code}) with
 * the module path relative to the project root and `code` the module's code version (code-version.ts: its compiled
 * import graph and package versions), so a re-run skips finished configs of the same code and recomputes after the
 * code changed; entries of other code versions stay on disk until `workbook cache clear --stale`. The workers report
 * the version they loaded, and a result is stored under that one (a rebuild during a sweep keys the new results by
 * the new code). Failures (thrown errors, crashed workers) are reported with their config and are not cached.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertInteger, assertString, cacheDir as defaultCacheDir, writeJsonAtomic } from '../core/index.js';
import { codeVersion, projectRelative } from './code-version.js';
import { configHash } from './hash.js';

export type SweepOutcome<C, R> =
  | { readonly ok: true; readonly config: C; readonly hash: string; readonly result: R; readonly cached: boolean; readonly elapsedMs: number }
  | { readonly ok: false; readonly config: C; readonly hash: string; readonly error: string; readonly stack?: string };

export interface SweepOptions<C> {
  /** Module exporting the trial function (path or file: URL). */
  readonly module: string;
  readonly exportName: string;
  readonly configs: readonly C[];
  /** Worker processes (default os.availableParallelism()). */
  readonly workers?: number;
  /** Result cache folder (default cacheDir('sweeps')). */
  readonly cacheDir?: string;
  /** Extra environment for the workers (e.g. TFJS_BACKEND). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called as each configuration finishes (cached ones first). */
  readonly onResult?: (o: SweepOutcome<C, unknown>) => void;
}

interface Job<C> { readonly index: number; readonly config: C; readonly hash: string }
type WorkerReply =
  | { id: number; ok: true; result: unknown; elapsedMs: number; code?: string }
  | { id: number; ok: false; error: string; stack?: string };

/** The key of a sweep entry (its file is <cacheDir>/<key>.json). */
export function sweepEntryKey(module: string, exportName: string, config: unknown, code: string): string {
  assertString('module', module);
  assertString('exportName', exportName);
  assertString('code', code);
  return configHash({ module, exportName, config, code });
}

const WORKER = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));

function modulePath(m: string): string {
  if (typeof m !== 'string' || m === '') throw new TypeError('module must be a non-empty path or file: URL');
  return m.startsWith('file:') ? fileURLToPath(m) : resolve(m);
}

/** Runs every configuration (in input order in the returned array). */
export async function runSweep<C, R = unknown>(opts: SweepOptions<C>): Promise<SweepOutcome<C, R>[]> {
  const path = modulePath(opts.module);
  if (!existsSync(path)) throw new RangeError(`module ${path} does not exist (build first?)`);
  if (typeof opts.exportName !== 'string' || opts.exportName === '') throw new TypeError('exportName must be a non-empty string');
  if (!Array.isArray(opts.configs)) throw new TypeError('configs must be an array');
  const nWorkers = opts.workers ?? availableParallelism();
  assertInteger('workers', nWorkers, 1, 256);
  const dir = opts.cacheDir ?? defaultCacheDir('sweeps');
  const idModule = projectRelative(path);
  // Fresh, not memoised: the workers are new processes and load the files as they are now.
  const code = codeVersion(path, { fresh: true }).version;

  const out: SweepOutcome<C, R>[] = new Array(opts.configs.length);
  const pending: Job<C>[] = [];
  opts.configs.forEach((config, index) => {
    const hash = sweepEntryKey(idModule, opts.exportName, config, code);
    const file = join(dir, `${hash}.json`);
    const saved = existsSync(file) ? readCachedResult<R>(file, { module: idModule, exportName: opts.exportName, hash }) : null;
    if (saved) {
      out[index] = { ok: true, config, hash, result: saved.result, cached: true, elapsedMs: saved.elapsedMs };
      opts.onResult?.(out[index]);
    } else {
      pending.push({ index, config, hash });
    }
  });
  if (pending.length === 0) return out;

  const url = pathToFileURL(path).href;
  let warnedCodeChange = false;
  const finish = (job: Job<C>, reply: WorkerReply): void => {
    if (reply.ok) {
      const ran = reply.code ?? code;
      if (ran !== code && !warnedCodeChange) {
        warnedCodeChange = true;
        const change = `code ${code.slice(0, 12)} → ${ran.slice(0, 12)}`;
        const message = `${idModule} changed during the sweep (${change}): results keyed by the workers' code`;
        process.emitWarning(message, { code: 'WORKBOOK_CODE_CHANGED' });
      }
      const hash = ran === code ? job.hash : sweepEntryKey(idModule, opts.exportName, job.config, ran);
      const { result, elapsedMs } = reply;
      const entry = { module: idModule, exportName: opts.exportName, code: ran, config: job.config, result, elapsedMs };
      writeJsonAtomic(join(dir, `${hash}.json`), entry);
      out[job.index] = { ok: true, config: job.config, hash, result: result as R, cached: false, elapsedMs };
    } else {
      out[job.index] = { ok: false, config: job.config, hash: job.hash, error: reply.error, stack: reply.stack };
    }
    opts.onResult?.(out[job.index]);
  };

  const queue = pending.slice();
  const runWorker = () => new Promise<void>((done) => {
    let child: ChildProcess | null = null;
    let current: Job<C> | null = null;
    const next = () => {
      current = queue.shift() ?? null;
      if (!current) {
        child?.disconnect();
        return;
      }
      if (!child) child = spawn();
      child.send({ id: current.index, module: url, exportName: opts.exportName, config: current.config });
    };
    const spawn = (): ChildProcess => {
      const c = fork(WORKER, [], { env: { ...process.env, ...opts.env }, execArgv: workerExecArgv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      c.on('message', (m: WorkerReply) => {
        if (current && m.id === current.index) finish(current, m);
        next();
      });
      c.on('exit', (code, signal) => {
        child = null;
        if (current) {
          // A crash (out of memory, process.exit in the trial...): report it and carry on in a fresh process.
          finish(current, { id: current.index, ok: false, error: `worker exited (code ${code}, signal ${signal}) while running this config` });
          next();
        }
        if (!current && queue.length === 0) done();
      });
      return c;
    };
    next();
    if (!current) done();
  });
  await Promise.all(Array.from({ length: Math.min(nWorkers, pending.length) }, runWorker));
  return out;
}

/**
 * A cached result, or null (with a warning naming the file) when the file is not one: truncated or not JSON, fields
 * missing or of the wrong type, or written for another module, export, configuration or code version (its config
 * and code do not hash to its name). A corrupted entry is never used: the configuration is run again and the file
 * rewritten.
 */
export function readCachedResult<R>(file: string, expect: { module: string; exportName: string; hash: string }): { result: R; elapsedMs: number } | null {
  const problem = (why: string) => {
    process.emitWarning(`ignoring corrupted sweep cache entry ${file}: ${why}; recomputing it`, { code: 'WORKBOOK_CACHE_CORRUPT' });
    return null;
  };
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return problem(`not valid JSON (${(err as Error).message})`);
  }
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return problem('not a JSON object');
  const s = saved as Record<string, unknown>;
  if (!('result' in s) || s.result === undefined) return problem('no result');
  if (typeof s.elapsedMs !== 'number' || !Number.isFinite(s.elapsedMs) || s.elapsedMs < 0) return problem(`elapsedMs is ${JSON.stringify(s.elapsedMs)}, not a non-negative number`);
  if (s.module !== expect.module || s.exportName !== expect.exportName) {
    return problem(`written for ${JSON.stringify(s.module)}#${JSON.stringify(s.exportName)}, not ${expect.module}#${expect.exportName}`);
  }
  if (typeof s.code !== 'string' || !/^[0-9a-f]{64}$/.test(s.code)) {
    return problem(`code is ${JSON.stringify(s.code)}, not a code version (sha256)`);
  }
  let hash: string;
  try {
    hash = sweepEntryKey(s.module, s.exportName, s.config, s.code);
  } catch (err) {
    return problem(`its config cannot be hashed (${(err as Error).message})`);
  }
  if (hash !== expect.hash) {
    return problem(`its config and code hash to ${hash.slice(0, 12)}, not ${expect.hash.slice(0, 12)}`);
  }
  return { result: s.result as R, elapsedMs: s.elapsedMs };
}

/** The parent's Node flags minus those that only make sense for the parent's own entry point (`node -e`, `--input-type`). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') { i++; continue; }
    if (a.startsWith('--input-type') || a.startsWith('--eval=') || a.startsWith('--print=')) continue;
    out.push(a);
  }
  return out;
}

export interface SweepAllOptions<C, R> extends Omit<SweepOptions<C>, 'onResult'> {
  /** Called with each finished result (cached ones first) and whether it came from the cache. */
  readonly onDone?: (result: R, cached: boolean) => void;
  /** How a failed configuration is named in the error (default: its JSON, cut to 200 characters). */
  readonly describe?: (config: C) => string;
}

/**
 * runSweep, then the results in input order — or, if any configuration failed, one Error listing every failure
 * (config and message). The papers' "run the plan" step.
 */
export async function runSweepAll<C, R>(opts: SweepAllOptions<C, R>): Promise<R[]> {
  const { onDone, describe, ...rest } = opts;
  const out = await runSweep<C, R>({ ...rest, onResult: (o) => { if (o.ok && onDone) onDone(o.result as R, o.cached); } });
  const bad = out.filter((o) => !o.ok);
  const name = describe ?? ((c: C) => JSON.stringify(c).slice(0, 200));
  if (bad.length) {
    throw new Error(`${bad.length} of ${out.length} configuration(s) failed: ${bad.map((o) => `${name(o.config)} → ${o.ok ? '' : o.error}`).join('; ')}`);
  }
  return out.map((o) => (o.ok ? o.result : (null as never)));
}
