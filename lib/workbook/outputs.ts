/**
 * All-or-nothing output folders, and a lock per folder (issue 18, finding 6).
 *
 * A run of paper P into root R writes into the staging folder `R/.P.staging-<pid>` and, only once it succeeds,
 * replaces `R/P` by it: rename `R/P` → `R/.P.old-<pid>`, rename the staging folder → `R/P`, remove the old one.
 * Until then `R/P` is the previous run's output, untouched; a failed run removes its staging folder, and a killed one
 * leaves it under that name, removed by the next run on R/P. If a crash falls between the two renames (no `R/P`,
 * but `R/.P.old-<pid>`), the next run puts the old folder back first.
 *
 * The lock `R/.P.lock` (JSON: pid, start time, command, staging folder) is created atomically (a hard link of a
 * complete temporary file) before anything is written. A second run on R/P fails with OutputLockedError naming the
 * holder's pid. A lock whose holder is gone — no such pid, a zombie, or (on Linux) a pid now used by a process that
 * started later — is stale: the next run takes it over and says so.
 *
 * Who holds it: `workbook run` (the runner owns the run: it takes the lock before starting the kernel, commits when
 * the notebook has run to the end, and cleans up on failure), or — for a notebook run interactively, in any
 * Jupyter — the kernel itself, from startRun() to run.finish(). A kernel started by the runner joins the runner's
 * staging folder (joinOutput: the lock's pid is the runner's, WORKBOOK_RUNNER_PID) instead of taking a lock of its own.
 */
import {
  existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { procStatFields } from './proc.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface LockHolder {
  readonly pid: number;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22), or null where /proc is not there. */
  readonly startTicks: number | null;
  readonly since: string;
  readonly command: string;
  /** The staging folder the holder writes into. */
  readonly staging: string;
}

/** A second run on an output folder that another live run holds. */
export class OutputLockedError extends Error {
  constructor(readonly folder: string, readonly lockFile: string, readonly holder: LockHolder) {
    if (typeof folder !== 'string' || typeof lockFile !== 'string') {
      throw new TypeError('folder and lockFile must be paths');
    }
    if (holder === null || typeof holder !== 'object' || !Number.isSafeInteger(holder.pid)) {
      throw new TypeError('holder must be a LockHolder { pid, since, command, staging }');
    }
    const who = `pid ${holder.pid} (${holder.command || 'unknown command'}, since ${holder.since})`;
    super(`${folder} is being written by another run: ${who}. Wait for it to finish or stop it (kill ${holder.pid}); `
      + `if pid ${holder.pid} is not a workbook run, delete ${lockFile}.`);
    this.name = 'OutputLockedError';
  }
}

/** The largest process id (Linux's pid_max limit, 2^22). */
const PID_MAX = 4194304;

function checkRootPaper(root: unknown, paper: unknown): void {
  if (typeof paper !== 'string' || !NAME.test(paper)) {
    throw new RangeError(`paper must be a simple name like "zepe", got ${JSON.stringify(paper)}`);
  }
  if (typeof root !== 'string' || root === '') {
    throw new RangeError(`root must be a non-empty path, got ${JSON.stringify(root)}`);
  }
}

export const lockFileFor = (root: string, paper: string): string => join(resolve(root), `.${paper}.lock`);
export const stagingDirFor = (root: string, paper: string, pid: number): string =>
  join(resolve(root), `.${paper}.staging-${pid}`);

/** Start time of a process in clock ticks (Linux /proc), null if unknown. */
export function processStartTicks(pid: number): number | null {
  const fields = procStatFields(pid);
  return fields ? Number(fields[19]) : null;
}

/** Whether the process that took a lock is still running (not gone, not a zombie, not a reused pid). */
export function holderAlive(h: Pick<LockHolder, 'pid' | 'startTicks'>): boolean {
  if (!Number.isSafeInteger(h.pid) || h.pid <= 0) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const fields = procStatFields(h.pid); // null without /proc: the signal check is all we have
  if (fields?.[0] === 'Z') return false;
  const ticks = fields ? Number(fields[19]) : null;
  return h.startTicks === null || ticks === null || ticks === h.startTicks;
}

/** The lock's holder, or null when there is no lock; a lock that cannot be read counts as stale (pid 0). */
export function readLock(root: string, paper: string): LockHolder | null {
  checkRootPaper(root, paper);
  const file = lockFileFor(root, paper);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.staging !== 'string') throw new Error('fields');
    return {
      pid: h.pid, startTicks: typeof h.startTicks === 'number' ? h.startTicks : null, since: String(h.since ?? '?'),
      command: String(h.command ?? ''), staging: h.staging,
    };
  } catch {
    return { pid: 0, startTicks: null, since: '?', command: 'unreadable lock file', staging: '' };
  }
}

function commandLine(): string {
  try {
    return readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
  } catch {
    return process.argv.join(' ').slice(0, 200);
  }
}

function pidOf(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const n = Number(name.slice(prefix.length));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Puts an interrupted replacement right (no `R/P` but `R/.P.old-*`: the old folder goes back) and removes what dead
 * runs left: their staging folders, old folders of finished replacements. `keepPid`'s staging folder is kept.
 */
function recover(root: string, paper: string, notify: (m: string) => void, keepPid: number | null): void {
  const final = join(root, paper);
  const entries = readdirSync(root);
  for (const e of entries) {
    const pid = pidOf(e, `.${paper}.old-`);
    if (pid === null) continue;
    if (!existsSync(final)) {
      renameSync(join(root, e), final);
      notify(`${final}: restored the previous output (a replacement by pid ${pid} was interrupted)`);
    } else {
      rmSync(join(root, e), { recursive: true, force: true });
    }
  }
  for (const e of entries) {
    const pid = pidOf(e, `.${paper}.staging-`);
    if (pid === null || pid === keepPid) continue;
    if (pid !== process.pid && holderAlive({ pid, startTicks: null })) continue;
    rmSync(join(root, e), { recursive: true, force: true, maxRetries: 3 });
    notify(`${final}: removed ${e}, left by an interrupted run (pid ${pid})`);
  }
}

/** One run's hold on `<root>/<paper>`: where to write, and how to finish. */
export interface OutputTransaction {
  readonly root: string;
  readonly paper: string;
  /** The output folder, `<root>/<paper>`. */
  readonly final: string;
  /** Where this run writes. */
  readonly staging: string;
  readonly lockFile: string;
  /** Replaces the output folder by the staging folder (kept as it was when the staging folder is empty) and unlocks. */
  commit(): void;
  /** Removes the staging folder (unless committed) and unlocks; safe to call after commit. */
  abort(): void;
}

export interface BeginOutputOptions {
  /** Where notices go (a stale lock taken over, leftovers removed); default: stderr. */
  readonly notify?: (message: string) => void;
}

/**
 * Takes the lock on `<root>/<paper>` for this process (again, if it already holds it: a notebook's first cell re-run
 * in the same kernel), puts interrupted runs right, and creates an empty staging folder. Throws OutputLockedError if
 * another live process holds the lock.
 */
export function beginOutput(root: string, paper: string, opts: BeginOutputOptions = {}): OutputTransaction {
  checkRootPaper(root, paper);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object');
  if (opts.notify !== undefined && typeof opts.notify !== 'function') throw new TypeError('notify must be a function');
  const notify = opts.notify ?? ((m: string) => process.stderr.write(`${m}\n`));
  const dir = resolve(root);
  mkdirSync(dir, { recursive: true });
  const final = join(dir, paper);
  const lockFile = lockFileFor(dir, paper);
  const staging = stagingDirFor(dir, paper, process.pid);
  const me: LockHolder = {
    pid: process.pid, startTicks: processStartTicks(process.pid), since: new Date().toISOString(),
    command: commandLine(), staging,
  };
  acquire(dir, paper, me, final, notify);
  try {
    recover(dir, paper, notify, null);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
  } catch (err) {
    release(dir, paper);
    throw err;
  }
  let done = false;
  return {
    root: dir, paper, final, staging, lockFile,
    commit() {
      if (done) throw new Error(`${final}: this run's output was already committed or abandoned`);
      done = true;
      try {
        replaceFolder(dir, paper, staging);
      } finally {
        release(dir, paper);
      }
    },
    abort() {
      if (!done) {
        done = true;
        try {
          rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
        } catch (err) {
          const why = (err as Error).message;
          notify(`${final}: could not remove the staging folder ${staging} (${why}); the next run removes it`);
        }
      }
      release(dir, paper);
    },
  };
}

/**
 * The staging folder of the run that holds `<root>/<paper>`'s lock, if that run is `ownerPid` and alive (a kernel
 * started by `workbook run` writes there; the runner commits), else null.
 */
export function joinOutput(root: string, paper: string, ownerPid: number): { staging: string; final: string } | null {
  checkRootPaper(root, paper);
  if (typeof ownerPid !== 'number' || !Number.isInteger(ownerPid) || ownerPid < 1 || ownerPid > PID_MAX) {
    throw new RangeError(`ownerPid must be a process id, an integer in 1..${PID_MAX}, got ${String(ownerPid)}`);
  }
  const h = readLock(root, paper);
  if (!h || h.pid !== ownerPid || !holderAlive(h) || !existsSync(h.staging)) return null;
  return { staging: h.staging, final: join(resolve(root), paper) };
}

function acquire(root: string, paper: string, me: LockHolder, final: string, notify: (m: string) => void): void {
  const lockFile = lockFileFor(root, paper);
  const tmp = `${lockFile}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(me, null, 2)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, lockFile); // atomic: fails if the lock exists, and a reader never sees half a file
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readLock(root, paper);
      if (holder === null) continue; // released meanwhile
      if (holder.pid === me.pid && (holder.startTicks === null || holder.startTicks === me.startTicks)) {
        renameSync(tmp, lockFile); // ours already (a re-run in the same process): refresh it
        return;
      }
      if (holderAlive(holder)) throw new OutputLockedError(final, lockFile, holder);
      notify(`${final}: taking over the lock of pid ${holder.pid || '?'} (${holder.command}), which is no longer `
        + 'running; its unfinished output is discarded');
      renameSync(tmp, lockFile);
      const now = readLock(root, paper);
      if (now?.pid !== me.pid) throw new OutputLockedError(final, lockFile, now ?? holder);
      return;
    }
    throw new Error(`${lockFile}: could not take the lock (it changed hands repeatedly)`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Removes the lock if this process holds it. */
export function release(root: string, paper: string): void {
  const h = readLock(root, paper);
  if (h && h.pid === process.pid) {
    try {
      unlinkSync(lockFileFor(root, paper));
    } catch {
      /* already gone */
    }
  }
}

/**
 * `<root>/<paper>` ← staging (two renames; recover() finishes one a crash interrupted). An empty staging folder
 * changes nothing.
 */
function replaceFolder(root: string, paper: string, staging: string): void {
  const final = join(root, paper);
  if (readdirSync(staging).length === 0) {
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  const old = join(root, `.${paper}.old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  const hadOld = existsSync(final);
  if (hadOld) renameSync(final, old);
  renameSync(staging, final);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
