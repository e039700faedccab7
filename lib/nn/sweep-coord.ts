/**
 * How a sweep shares its work with other processes: the sweep mode, the shard, and the plan file — read from the
 * environment that `workbook run` / `workbook plan` give the kernel (its sweep workers inherit it too).
 *
 * - `SEMCOM_SHARD=i/n` (1 ≤ i ≤ n): this process is shard i of n. A configuration belongs to shard
 *   `(parseInt(hash.slice(0, 12), 16) mod n) + 1`, hash = its sweep-entry key (sweep.ts): deterministic, the same in
 *   every process with the same code, and roughly even. A shard trains its own missing configurations and waits for
 *   the others' to appear in the shared cache.
 * - `SEMCOM_SWEEP_MODE`: `train` (default: train what is missing), `from-cache` (train nothing; a missing entry is an
 *   error listing every missing one), `plan` (record each sweep in `SEMCOM_PLAN_FILE`, train nothing, stop at the first
 *   sweep with missing entries).
 * - `SEMCOM_SHARDS=n`: with from-cache or plan, name the shard of n that owns each missing entry.
 * - `SEMCOM_SHARD_TIMEOUT_S`: how long a shard waits for other shards' entries (default 24 h).
 */
import { appendFileSync } from 'node:fs';

export type SweepMode = 'train' | 'from-cache' | 'plan';
export const SWEEP_MODES: readonly SweepMode[] = ['train', 'from-cache', 'plan'];

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface SweepCoordination {
  readonly mode: SweepMode;
  /** This process's shard, or null (trains every missing configuration). */
  readonly shard: Shard | null;
  /** With from-cache / plan: the number of shards to name owners for (null: none). */
  readonly shards: number | null;
  /** How long to wait for entries trained by other processes (ms). */
  readonly waitTimeoutMs: number;
  /** Plan mode: the file each sweep is appended to (one JSON object per line). */
  readonly planFile: string | null;
}

export const DEFAULT_SHARD_TIMEOUT_S = 24 * 3600;

/** Parses `i/n` (integers, 1 ≤ i ≤ n); `what` names the flag or variable in the error. */
export function parseShard(value: string, what = '--shard'): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(String(value).trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RangeError(`${what} must be i/n with whole numbers 1 ≤ i ≤ n (e.g. 1/4), got ${JSON.stringify(value)}`);
  }
  return { index, count };
}

/** Parses a shard count n ≥ 1; `what` names the flag or variable in the error. */
export function parseShardCount(value: string, what = '--shards'): number {
  const s = String(value).trim();
  if (!/^\d{1,6}$/.test(s) || Number(s) < 1) throw new RangeError(`${what} must be a whole number of shards ≥ 1, got ${JSON.stringify(value)}`);
  return Number(s);
}

/** The shard (1-based, of `count`) that owns the sweep entry with this key: (first 48 bits of the hash mod count) + 1. */
export function shardOf(hash: string, count: number): number {
  if (typeof hash !== 'string' || !/^[0-9a-f]{12}/.test(hash)) throw new RangeError(`hash must be a hex sweep-entry key, got ${JSON.stringify(hash)}`);
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a whole number ≥ 1, got ${count}`);
  return (parseInt(hash.slice(0, 12), 16) % count) + 1;
}

/** The coordination the environment asks for (see the file header); malformed values are errors naming the variable. */
export function coordinationFromEnv(env: NodeJS.ProcessEnv = process.env): SweepCoordination {
  const modeText = env.SEMCOM_SWEEP_MODE || 'train';
  if (!(SWEEP_MODES as readonly string[]).includes(modeText)) {
    throw new RangeError(`SEMCOM_SWEEP_MODE must be one of ${SWEEP_MODES.join(', ')}, got ${JSON.stringify(modeText)}`);
  }
  const mode = modeText as SweepMode;
  const shard = env.SEMCOM_SHARD ? parseShard(env.SEMCOM_SHARD, 'SEMCOM_SHARD') : null;
  const shards = env.SEMCOM_SHARDS ? parseShardCount(env.SEMCOM_SHARDS, 'SEMCOM_SHARDS') : shard?.count ?? null;
  let waitS = DEFAULT_SHARD_TIMEOUT_S;
  if (env.SEMCOM_SHARD_TIMEOUT_S) {
    waitS = Number(env.SEMCOM_SHARD_TIMEOUT_S);
    if (!Number.isFinite(waitS) || waitS <= 0) throw new RangeError(`SEMCOM_SHARD_TIMEOUT_S must be a positive number of seconds, got ${JSON.stringify(env.SEMCOM_SHARD_TIMEOUT_S)}`);
  }
  const planFile = env.SEMCOM_PLAN_FILE || null;
  if (mode === 'plan' && !planFile) throw new RangeError('SEMCOM_SWEEP_MODE=plan needs SEMCOM_PLAN_FILE (the file the plan is written to)');
  if (shard && mode !== 'train') throw new RangeError(`SEMCOM_SHARD is for training; SEMCOM_SWEEP_MODE=${mode} trains nothing (use SEMCOM_SHARDS=n to name owners)`);
  return { mode, shard, shards, waitTimeoutMs: waitS * 1000, planFile };
}

/** One configuration of a sweep as `workbook plan` shows it. */
export interface PlanEntry {
  readonly description: string;
  readonly hash: string;
  readonly cached: boolean;
  /** Owner shard (1-based) of `shards`, or null without --shards. */
  readonly owner: number | null;
  /** elapsedMs of a cache entry for the same configuration under another code version, else null. */
  readonly estimateMs: number | null;
}

/** One sweep as recorded in the plan file (a JSON line). */
export interface PlanSweep {
  readonly module: string;
  readonly exportName: string;
  readonly cacheDir: string;
  readonly entries: readonly PlanEntry[];
  /** True when entries are missing and the notebook stopped here (later sweeps may depend on these results). */
  readonly stopped: boolean;
}

export function appendPlan(file: string, sweep: PlanSweep): void {
  appendFileSync(file, JSON.stringify(sweep) + '\n');
}

/** Thrown by runSweep in plan mode at the first sweep with missing entries: the plan is complete up to here. */
export class SweepPlanStop extends Error {
  constructor(readonly missing: number) {
    super(`[workbook plan] stop: ${missing} configuration(s) of this sweep are not cached; later steps depend on their results`);
    this.name = 'SweepPlanStop';
  }
}

/** Thrown in from-cache mode when entries are missing: lists each one (description, hash prefix, owner). */
export class SweepMissingError extends Error {
  constructor(readonly sweep: string, readonly missing: readonly { description: string; hash: string; owner: number | null }[], readonly shards: number | null, readonly cacheDir: string) {
    const lines = missing.map((m) => `  - ${m.description}  [${m.hash.slice(0, 12)}]${m.owner !== null && shards !== null ? `  owned by shard ${m.owner}/${shards}` : ''}`);
    super(`${missing.length} configuration(s) of ${sweep} are missing from the cache ${cacheDir} (a --from-cache run trains nothing):\n${lines.join('\n')}`);
    this.name = 'SweepMissingError';
  }
}
