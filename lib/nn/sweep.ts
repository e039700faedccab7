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
 *
 * Several processes may share one cache (shards of `workbook run --shard i/n`, a re-submitted shard, a plain run
 * beside them; sweep-coord.ts): each configuration is trained under its lock `<hash>.lock` (sweep-lock.ts), so it is
 * trained once; a process waits for entries another live process holds, and a shard waits for the entries other
 * shards own, polling the cache. `from-cache` mode trains nothing and fails listing what is missing; `plan` mode
 * records each sweep for `workbook plan`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertInteger, assertPositive, assertString, cacheDir as defaultCacheDir, writeJsonAtomic } from '../core/index.js';
import { codeVersion, projectRelative } from './code-version.js';
import { configHash } from './hash.js';
import { appendPlan, coordinationFromEnv, shardOf, SweepMissingError, SweepPlanStop, type SweepCoordination } from './sweep-coord.js';
import { readFailure, readSweepLock, staleReason, SweepLocks, type SweepLockTimes } from './sweep-lock.js';

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
  /** How a configuration is named in plans, waiting reports and errors (default: compactDescription). */
  readonly describe?: (config: C) => string;
  /** Sharing the work with other processes (default: coordinationFromEnv(), i.e. what `workbook run` set). */
  readonly coordination?: SweepCoordination;
  /** Entry-lock timing (stale limit, heartbeat; sweep-lock.ts). */
  readonly locks?: SweepLockTimes;
  /** How often to look for entries other processes are training (ms, default 2000). */
  readonly pollMs?: number;
  /** Where waiting reports go (default console.log: a notebook cell's output, shown by `workbook run`). */
  readonly log?: (line: string) => void;
  /**
   * Plan mode only: a result to carry on with for a missing configuration, for sweeps whose results later steps only
   * report (e.g. a shared warm start); without it plan mode stops at this sweep.
   */
  readonly planStandIn?: (config: C) => unknown;
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

/** A configuration as plan listings and error messages name it when the sweep gives no `describe`: its JSON, cut. */
export function compactDescription(config: unknown): string {
  const text = JSON.stringify(config) ?? String(config);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * The elapsedMs of a cache entry in `dir` for the same module, export and configuration under another code version
 * (the latest such entry), or null: `workbook plan`'s cost estimate.
 */
export function estimateFromOtherCode(dir: string, module: string, exportName: string, config: unknown): number | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  } catch {
    return null;
  }
  const want = configHash(config);
  let best: { mtimeMs: number; elapsedMs: number } | null = null;
  for (const f of names) {
    try {
      const s = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
      if (s.module !== module || s.exportName !== exportName || typeof s.elapsedMs !== 'number' || configHash(s.config) !== want) continue;
      const mtimeMs = statSync(join(dir, f)).mtimeMs;
      if (!best || mtimeMs > best.mtimeMs) best = { mtimeMs, elapsedMs: s.elapsedMs };
    } catch { /* corrupt entries are not estimates */ }
  }
  return best?.elapsedMs ?? null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs every configuration (in input order in the returned array), sharing the work with other processes on the same
 * cache as `coordination` says (default: from the environment, sweep-coord.ts): a shard trains only the missing
 * configurations it owns and waits for the rest; every process takes an entry's lock (sweep-lock.ts) before
 * training it and waits for entries another live process holds; from-cache trains nothing and throws
 * SweepMissingError; plan records the sweep and throws SweepPlanStop when entries are missing.
 */
export async function runSweep<C, R = unknown>(opts: SweepOptions<C>): Promise<SweepOutcome<C, R>[]> {
  const path = modulePath(opts.module);
  if (!existsSync(path)) throw new RangeError(`module ${path} does not exist (build first?)`);
  if (typeof opts.exportName !== 'string' || opts.exportName === '') throw new TypeError('exportName must be a non-empty string');
  if (!Array.isArray(opts.configs)) throw new TypeError('configs must be an array');
  const nWorkers = opts.workers ?? availableParallelism();
  assertInteger('workers', nWorkers, 1, 256);
  const pollMs = opts.pollMs ?? 2000;
  assertPositive('pollMs', pollMs);
  const coord = opts.coordination ?? coordinationFromEnv();
  const describe = opts.describe ?? compactDescription;
  const log = opts.log ?? ((l: string) => console.log(l));
  const dir = opts.cacheDir ?? defaultCacheDir('sweeps');
  const idModule = projectRelative(path);
  const sweepName = `${idModule}#${opts.exportName}`;
  // Fresh, not memoised: the workers are new processes and load the files as they are now.
  const code = codeVersion(path, { fresh: true }).version;
  const started = Date.now();

  const out: SweepOutcome<C, R>[] = new Array(opts.configs.length);
  const pending: Job<C>[] = [];
  const cachedOf = (job: Job<C>): boolean => {
    const file = join(dir, `${job.hash}.json`);
    const saved = existsSync(file) ? readCachedResult<R>(file, { module: idModule, exportName: opts.exportName, hash: job.hash }) : null;
    if (!saved) return false;
    out[job.index] = { ok: true, config: job.config, hash: job.hash, result: saved.result, cached: true, elapsedMs: saved.elapsedMs };
    opts.onResult?.(out[job.index]);
    return true;
  };
  opts.configs.forEach((config, index) => {
    const job = { index, config, hash: sweepEntryKey(idModule, opts.exportName, config, code) };
    if (!cachedOf(job)) pending.push(job);
  });
  const ownerOf = (hash: string, n: number | null): number | null => (n === null ? null : shardOf(hash, n));

  if (coord.mode === 'plan') {
    if (!coord.planFile) throw new RangeError('plan mode needs a plan file (SEMCOM_PLAN_FILE)');
    const standIn = opts.planStandIn;
    appendPlan(coord.planFile, {
      module: idModule, exportName: opts.exportName, cacheDir: dir, stopped: pending.length > 0 && !standIn,
      entries: opts.configs.map((config, i) => {
        const hit = out[i];
        const hash = hit ? hit.hash : pending.find((p) => p.index === i)!.hash;
        const estimateMs = hit && hit.ok ? hit.elapsedMs : estimateFromOtherCode(dir, idModule, opts.exportName, config);
        return { description: describe(config), hash, cached: hit !== undefined, owner: ownerOf(hash, coord.shards), estimateMs };
      }),
    });
    if (pending.length === 0) return out;
    if (!standIn) throw new SweepPlanStop(pending.length);
    for (const p of pending) out[p.index] = { ok: true, config: p.config, hash: p.hash, result: standIn(p.config) as R, cached: false, elapsedMs: 0 };
    return out;
  }
  if (coord.mode === 'from-cache') {
    if (pending.length > 0) {
      throw new SweepMissingError(sweepName, pending.map((p) => ({ description: describe(p.config), hash: p.hash, owner: ownerOf(p.hash, coord.shards) })), coord.shards, dir);
    }
    return out;
  }
  if (pending.length === 0) return out;

  mkdirSync(dir, { recursive: true });
  const locks = new SweepLocks(dir, opts.locks);
  const shard = coord.shard;
  // Waiting: entries other shards own (retrain false), or entries another live process holds the lock of (true).
  const waiting = new Map<number, { job: Job<C>; retrain: boolean }>();
  let toTrain: Job<C>[] = [];
  for (const p of pending) {
    if (shard && shardOf(p.hash, shard.count) !== shard.index) waiting.set(p.index, { job: p, retrain: false });
    else toTrain.push(p);
  }
  const who = shard ? `shard ${shard.index}/${shard.count}` : `pid ${process.pid}`;
  try {
    for (;;) {
      if (toTrain.length > 0) {
        const busy = await trainJobs(toTrain);
        for (const b of busy) waiting.set(b.index, { job: b, retrain: true });
      }
      toTrain = [];
      if (waiting.size === 0) break;
      toTrain = await waitForOthers();
    }
  } finally {
    locks.releaseAll();
  }
  return out;

  /** Polls until some waited-for entries appear (resolved) or can be trained here (returned); throws on timeout. */
  async function waitForOthers(): Promise<Job<C>[]> {
    let lastReport = 0;
    for (;;) {
      const retrain: Job<C>[] = [];
      for (const [index, w] of [...waiting]) {
        if (cachedOf(w.job)) {
          waiting.delete(index);
          continue;
        }
        const lock = readSweepLock(dir, w.job.hash);
        const free = lock === null || staleReason(lock, locks.staleMs) !== '';
        if (w.retrain && free) {
          retrain.push(w.job);
          waiting.delete(index);
        } else if (!w.retrain && lock === null) {
          const failed = readFailure(dir, w.job.hash);
          if (failed && failed.at >= started) {
            throw new Error(`${who}: ${describe(w.job.config)} [${w.job.hash.slice(0, 12)}] failed in pid ${failed.pid} on ${failed.host}: ${failed.error}`);
          }
        }
      }
      if (retrain.length > 0 || waiting.size === 0) return retrain;
      const now = Date.now();
      if (now - started > coord.waitTimeoutMs) throw new Error(waitingReport(`${who}: gave up after ${((now - started) / 1000).toFixed(0)} s (--shard-timeout) waiting for`, true));
      if (now - lastReport >= 30_000) {
        log(waitingReport(`${who}: waiting for`, false));
        lastReport = now;
      }
      await sleep(pollMs);
    }
  }

  function waitingReport(head: string, full: boolean): string {
    const groups = new Map<string, Job<C>[]>();
    for (const { job, retrain } of waiting.values()) {
      const owner = !retrain && shard ? `shard ${shardOf(job.hash, shard.count)}/${shard.count}` : 'another process (locked)';
      groups.set(owner, [...(groups.get(owner) ?? []), job]);
    }
    const parts = [...groups].map(([owner, jobs]) => `${jobs.length} entr${jobs.length === 1 ? 'y' : 'ies'} of ${owner}`);
    const line = `${head} ${parts.join(', ')} of ${sweepName} …`;
    if (!full) return line;
    const list = [...groups].flatMap(([owner, jobs]) => jobs.map((j) => `  - ${describe(j.config)}  [${j.hash.slice(0, 12)}]  ${owner}`));
    return `${line}\n${list.join('\n')}`;
  }

  /** Trains `jobs` in worker processes, each under its lock; returns the jobs another live process holds. */
  async function trainJobs(jobs: readonly Job<C>[]): Promise<Job<C>[]> {
    const busy: Job<C>[] = [];
    const queue = jobs.slice();
    /** The next job this process may train now: locked here, and still missing once locked. */
    const take = (): Job<C> | null => {
      for (let j = queue.shift(); j; j = queue.shift()) {
        if (!locks.tryAcquire(j.hash)) {
          busy.push(j);
          continue;
        }
        if (cachedOf(j)) { // finished by another process between our look and the lock
          locks.release(j.hash);
          continue;
        }
        return j;
      }
      return null;
    };
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
        locks.release(job.hash);
        out[job.index] = { ok: true, config: job.config, hash, result: result as R, cached: false, elapsedMs };
      } else {
        locks.fail(job.hash, reply.error);
        out[job.index] = { ok: false, config: job.config, hash: job.hash, error: reply.error, stack: reply.stack };
      }
      opts.onResult?.(out[job.index]);
    };

    const runWorker = () => new Promise<void>((done) => {
      let child: ChildProcess | null = null;
      let current: Job<C> | null = null;
      const next = () => {
        current = take();
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
    await Promise.all(Array.from({ length: Math.min(nWorkers, jobs.length) }, runWorker));
    return busy;
  }
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
}

/**
 * runSweep, then the results in input order — or, if any configuration failed, one Error listing every failure
 * (config and message). The papers' "run the plan" step.
 */
export async function runSweepAll<C, R>(opts: SweepAllOptions<C, R>): Promise<R[]> {
  const { onDone, ...rest } = opts;
  const out = await runSweep<C, R>({ ...rest, onResult: (o) => { if (o.ok && onDone) onDone(o.result as R, o.cached); } });
  const bad = out.filter((o) => !o.ok);
  const name = opts.describe ?? ((c: C) => JSON.stringify(c).slice(0, 200));
  if (bad.length) {
    throw new Error(`${bad.length} of ${out.length} configuration(s) failed: ${bad.map((o) => `${name(o.config)} → ${o.ok ? '' : o.error}`).join('; ')}`);
  }
  return out.map((o) => (o.ok ? o.result : (null as never)));
}
