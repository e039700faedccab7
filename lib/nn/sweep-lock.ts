/**
 * One lock per sweep entry: `<cacheDir>/<hash>.lock`, taken before a process trains that configuration, so that two
 * processes sharing a cache (two shards, a re-submitted shard, a plain run beside shards, on one host or several
 * over a shared filesystem) never train one configuration twice.
 *
 * Format: JSON `{ host, pid, startTicks, since, token }` — the holder's host name, process id, process start time in
 * clock ticks (Linux /proc/<pid>/stat field 22, null elsewhere), ISO start time and a random token. The file is
 * created with O_CREAT|O_EXCL (`wx`), which is atomic on local filesystems and on NFSv3+. While held, a heartbeat
 * rewrites its mtime every `heartbeatMs` (default 30 s).
 *
 * A lock is stale — and is broken, with a warning — when its holder is a dead process on this host (no such pid, a
 * zombie, or the pid now belongs to a process that started later), or when its mtime is older than `staleMs`
 * (default 10 min; env SEMCOM_LOCK_STALE_S) whatever the host (a holder on another machine that died, or lost the
 * filesystem). Breaking renames the file aside first and checks it is still the lock judged stale (same bytes); if
 * another process replaced it meanwhile, the fresh lock is put back (link(2), which never overwrites). A lock whose
 * file cannot be parsed counts as held until its mtime is stale: it may be a holder's file being written.
 *
 * Release removes the file only if it still carries this holder's token. A training failure is recorded beside it
 * as `<hash>.failed` (JSON `{ host, pid, at, error }`) so that processes waiting for the entry can stop instead of
 * waiting for a result that will not come; the next process that takes the lock removes it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/index.js';
import { procStatFields } from '../workbook/proc.js';

export interface SweepLockHolder {
  readonly host: string;
  readonly pid: number;
  readonly startTicks: number | null;
  readonly since: string;
  readonly token: string;
}

export interface SweepLockTimes {
  /** A lock whose mtime is older than this is stale (ms; default SEMCOM_LOCK_STALE_S × 1000, else 10 min). */
  readonly staleMs?: number;
  /** How often a held lock's mtime is refreshed (ms; default 30 s, at most staleMs / 3). */
  readonly heartbeatMs?: number;
}

export const lockFileOf = (dir: string, hash: string): string => join(dir, `${hash}.lock`);
export const failureFileOf = (dir: string, hash: string): string => join(dir, `${hash}.failed`);

/** The stale limit from SEMCOM_LOCK_STALE_S (seconds), else 10 min; a malformed value is an error naming it. */
export function defaultStaleMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SEMCOM_LOCK_STALE_S;
  if (v === undefined || v === '') return 10 * 60_000;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) throw new RangeError(`SEMCOM_LOCK_STALE_S must be a positive number of seconds, got ${JSON.stringify(v)}`);
  return s * 1000;
}

function startTicksOf(pid: number): number | null {
  const f = procStatFields(pid);
  return f ? Number(f[19]) : null;
}

/** Whether a holder on this host is still running (not gone, not a zombie, not a reused pid). */
function aliveHere(h: Pick<SweepLockHolder, 'pid' | 'startTicks'>): boolean {
  if (!Number.isSafeInteger(h.pid) || h.pid <= 0) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const fields = procStatFields(h.pid);
  if (fields?.[0] === 'Z') return false;
  const ticks = fields ? Number(fields[19]) : null;
  return h.startTicks === null || ticks === null || ticks === h.startTicks;
}

function parseHolder(text: string): SweepLockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<SweepLockHolder>;
    if (typeof h.host !== 'string' || typeof h.pid !== 'number' || typeof h.token !== 'string') return null;
    return { host: h.host, pid: h.pid, startTicks: typeof h.startTicks === 'number' ? h.startTicks : null, since: String(h.since ?? '?'), token: h.token };
  } catch {
    return null;
  }
}

/** The lock's holder and file age, or null when there is no lock (holder null: the file is not (yet) readable JSON). */
export function readSweepLock(dir: string, hash: string): { holder: SweepLockHolder | null; ageMs: number; text: string } | null {
  const file = lockFileOf(dir, hash);
  try {
    const text = readFileSync(file, 'utf8');
    const ageMs = Date.now() - statSync(file).mtimeMs;
    return { holder: parseHolder(text), ageMs, text };
  } catch {
    return null;
  }
}

/** Why a lock is stale ('' when it is live). */
export function staleReason(lock: { holder: SweepLockHolder | null; ageMs: number }, staleMs: number): string {
  if (lock.ageMs > staleMs) return `no heartbeat for ${(lock.ageMs / 1000).toFixed(0)} s (limit ${(staleMs / 1000).toFixed(0)} s)`;
  const h = lock.holder;
  if (h && h.host === hostname() && !aliveHere(h)) return `its holder, pid ${h.pid} on this host, is not running`;
  return '';
}

/** Holds sweep-entry locks for this process and keeps their heartbeats. */
export class SweepLocks {
  private readonly held = new Map<string, { file: string; token: string }>();
  private timer: NodeJS.Timeout | null = null;
  readonly staleMs: number;
  readonly heartbeatMs: number;

  constructor(readonly dir: string, times: SweepLockTimes = {}, private readonly warn: (m: string) => void = (m) => process.emitWarning(m, { code: 'WORKBOOK_STALE_LOCK' })) {
    if (typeof dir !== 'string' || dir === '') throw new TypeError(`dir must be a non-empty folder path, got ${JSON.stringify(dir)}`);
    for (const key of ['staleMs', 'heartbeatMs'] as const) {
      const v: unknown = times[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
        throw new RangeError(`times.${key} must be a finite number of milliseconds > 0, got ${JSON.stringify(v) ?? String(v)}`);
      }
    }
    this.staleMs = times.staleMs ?? defaultStaleMs();
    this.heartbeatMs = Math.min(times.heartbeatMs ?? 30_000, this.staleMs / 3);
    if (!(this.staleMs > 0) || !(this.heartbeatMs > 0)) throw new RangeError(`staleMs and heartbeatMs must be positive, got ${this.staleMs}, ${this.heartbeatMs}`);
  }

  /**
   * Takes the lock of `hash`: true when this process now holds it, false when another live process does. A stale
   * lock is broken (with a warning) and taken.
   */
  tryAcquire(hash: string): boolean {
    const file = lockFileOf(this.dir, hash);
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = randomBytes(8).toString('hex');
      const holder: SweepLockHolder = { host: hostname(), pid: process.pid, startTicks: startTicksOf(process.pid), since: new Date().toISOString(), token };
      let fd: number;
      try {
        fd = openSync(file, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const lock = readSweepLock(this.dir, hash);
        if (!lock) continue; // released meanwhile: try again
        const why = staleReason(lock, this.staleMs);
        if (why === '') return false;
        if (this.breakLock(file, lock.text)) this.warn(`broke the stale lock ${file} (${why}; held by ${lock.holder ? `pid ${lock.holder.pid} on ${lock.holder.host} since ${lock.holder.since}` : 'an unreadable holder'})`);
        continue;
      }
      try {
        writeSync(fd, JSON.stringify(holder) + '\n');
      } finally {
        closeSync(fd);
      }
      this.held.set(hash, { file, token });
      try { unlinkSync(failureFileOf(this.dir, hash)); } catch { /* none */ }
      this.startHeartbeat();
      return true;
    }
    return false;
  }

  /** Renames a stale lock aside; puts it back if it turned out not to be the one judged stale. True if broken. */
  private breakLock(file: string, judged: string): boolean {
    const aside = `${file}.break-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(file, aside);
    } catch {
      return false; // someone else broke or released it
    }
    let text = '';
    try { text = readFileSync(aside, 'utf8'); } catch { /* gone */ }
    if (text !== judged) {
      try { linkSync(aside, file); } catch { /* a newer lock is there already */ }
      try { unlinkSync(aside); } catch { /* gone */ }
      return false;
    }
    try { unlinkSync(aside); } catch { /* gone */ }
    return true;
  }

  /** Records a training failure beside the lock (see the file header), then releases it. */
  fail(hash: string, error: string): void {
    try {
      writeJsonAtomic(failureFileOf(this.dir, hash), { host: hostname(), pid: process.pid, at: Date.now(), error: error.slice(0, 2000) });
    } finally {
      this.release(hash);
    }
  }

  /** Releases the lock of `hash` if this process holds it (and its file still carries our token). */
  release(hash: string): void {
    const h = this.held.get(hash);
    if (!h) return;
    this.held.delete(hash);
    try {
      if (parseHolder(readFileSync(h.file, 'utf8'))?.token === h.token) unlinkSync(h.file);
    } catch { /* already gone */ }
    if (this.held.size === 0) this.stopHeartbeat();
  }

  /** Releases every lock this process holds. */
  releaseAll(): void {
    for (const hash of [...this.held.keys()]) this.release(hash);
  }

  private startHeartbeat(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = new Date();
      for (const { file } of this.held.values()) {
        try { utimesSync(file, now, now); } catch { /* broken by someone else: their problem is logged there */ }
      }
    }, this.heartbeatMs);
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** A recorded failure of an entry (see the file header), or null. */
export function readFailure(dir: string, hash: string): { host: string; pid: number; at: number; error: string } | null {
  try {
    const f = JSON.parse(readFileSync(failureFileOf(dir, hash), 'utf8')) as { host?: unknown; pid?: unknown; at?: unknown; error?: unknown };
    if (typeof f.at !== 'number') return null;
    return { host: String(f.host), pid: Number(f.pid), at: f.at, error: String(f.error) };
  } catch {
    return null;
  }
}
