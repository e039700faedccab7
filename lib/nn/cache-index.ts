/**
 * What the result caches hold, for `workbook cache list|clear`: every sweep result (`<cache>/sweeps/…/<key>.json`,
 * written by runSweep) and every training checkpoint folder (`<cache>/models/…/<key>/checkpoint.json` and `runs/`,
 * written by train), with its paper, kind, configuration hash, code version, size and date, and whether it is
 * current — written by the code as it is now (code-version.ts) — or stale: written by other code, before caches
 * recorded their code, for a module that no longer exists, or corrupt. Stale entries are never used (their key
 * differs, or the reader rejects them); they only take space until removed.
 *
 * Data caches (the photo set under `<cache>/photos`, MNIST, anything outside `sweeps/`, `models/` and `runs/`) are
 * neither listed nor removed here: they are inputs, rebuilt by `workbook doctor --fix`, not results.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { assertObject, assertString, cacheDir, projectRoot } from '../core/index.js';
import { codeVersion } from './code-version.js';
import { configHash } from './hash.js';
import { sweepEntryKey } from './sweep.js';

export type CacheKind = 'model' | 'checkpoint' | 'sweep';
export type CacheStatus = 'current' | 'stale';

export interface CacheEntry {
  /**
   * The paper (from the module that wrote it, lib/papers/<paper>/…, else the first folder under models/ or sweeps/,
   * before any '-'; '-' for an entry directly in sweeps/).
   */
  readonly paper: string;
  /** model: a finished training run; checkpoint: an unfinished one (resumable); sweep: one configuration's result. */
  readonly kind: CacheKind;
  /** The entry's file (sweep) or folder (model, checkpoint), absolute. */
  readonly path: string;
  /** Hash of the configuration alone (sweep: of {module, exportName, config}; checkpoint: as train() records it). */
  readonly configHash: string | null;
  /** The code version it was written by (null: none recorded). */
  readonly code: string | null;
  /** The module that code version is of, as recorded. */
  readonly module: string | null;
  readonly status: CacheStatus;
  /** Why it is stale ('' when current). */
  readonly reason: string;
  readonly bytes: number;
  /** Last modified (ISO 8601). */
  readonly modified: string;
}

/** The folders under the cache root that hold results (everything else there is data). */
export const RESULT_CACHE_FOLDERS = ['sweeps', 'models', 'runs'] as const;

export interface ListCacheOptions {
  /** Cache root (default cacheDir(): SEMCOM_CACHE or <project>/.cache). */
  readonly root?: string;
  /** Only these papers. */
  readonly papers?: readonly string[];
}

/** Every result-cache entry under the root, sorted by paper, kind and path. */
export function listCacheEntries(opts: ListCacheOptions = {}): CacheEntry[] {
  assertObject('options', opts);
  if (opts.root !== undefined) assertString('root', opts.root);
  if (opts.papers !== undefined) {
    if (!Array.isArray(opts.papers)) throw new TypeError('papers must be an array of paper names');
    opts.papers.forEach((p, i) => assertString(`papers[${i}]`, p));
  }
  const root = resolve(opts.root ?? cacheDir());
  const current = new Map<string, string | null>();
  const versionOf = (module: string): string | null => {
    const path = isAbsolute(module) ? module : join(projectRoot(), module);
    if (!current.has(path)) {
      try {
        current.set(path, existsSync(path) ? codeVersion(path, { fresh: true }).version : null);
      } catch {
        current.set(path, null);
      }
    }
    return current.get(path) ?? null;
  };
  const out: CacheEntry[] = [];
  const sweeps = join(root, 'sweeps');
  for (const file of walk(sweeps).files) {
    if (file.endsWith('.json') && !basename(file).startsWith('.')) out.push(sweepEntry(root, file, versionOf));
  }
  for (const top of ['models', 'runs']) {
    for (const dir of walk(join(root, top)).checkpointDirs) out.push(checkpointEntry(root, dir, versionOf));
  }
  const papers = opts.papers && opts.papers.length > 0 ? new Set(opts.papers) : null;
  return out
    .filter((e) => papers === null || papers.has(e.paper))
    .sort((a, b) => (a.paper + a.kind + a.path < b.paper + b.kind + b.path ? -1 : 1));
}

/**
 * Removes the entries (files or folders) and then any folder under sweeps/, models/ or runs/ they leave empty.
 * Returns what was removed, with sizes.
 */
export function removeCacheEntries(
  entries: readonly CacheEntry[], root: string = cacheDir(),
): { removed: CacheEntry[]; bytes: number } {
  if (!Array.isArray(entries)) throw new TypeError('entries must be an array of cache entries (listCacheEntries)');
  entries.forEach((e: unknown, i) => {
    assertObject(`entries[${i}]`, e);
    assertString(`entries[${i}].path`, (e as CacheEntry).path);
  });
  assertString('root', root);
  const base = resolve(root);
  const tops = RESULT_CACHE_FOLDERS.map((t) => join(base, t));
  const removed: CacheEntry[] = [];
  for (const e of entries) {
    const rel = relative(base, e.path);
    const top = rel.split(/[\\/]/);
    if (isAbsolute(rel) || top.length < 2 || !(RESULT_CACHE_FOLDERS as readonly string[]).includes(top[0])) {
      throw new RangeError(`${e.path} is not a result-cache entry (under ${base}/sweeps, models or runs): not removed`);
    }
    rmSync(e.path, { recursive: true, force: true });
    removed.push(e);
    for (let dir = dirname(e.path); !tops.includes(dir) && dir.startsWith(base); dir = dirname(dir)) {
      try {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
  return { removed, bytes: removed.reduce((s, e) => s + e.bytes, 0) };
}

interface Walked { files: string[]; checkpointDirs: string[] }

/** Files under dir, and the folders that are training runs (hold checkpoint.json, or are leaves without one). */
function walk(dir: string): Walked {
  const out: Walked = { files: [], checkpointDirs: [] };
  if (!existsSync(dir)) return out;
  const visit = (d: string, depth: number) => {
    const entries = readdirSync(d, { withFileTypes: true });
    const subdirs = entries.filter((e) => e.isDirectory());
    const hasCheckpoint = entries.some((e) => e.isFile() && e.name === 'checkpoint.json');
    if (depth > 0 && (hasCheckpoint || (subdirs.length === 0 && entries.length > 0))) out.checkpointDirs.push(d);
    for (const e of entries) {
      if (e.isFile()) out.files.push(join(d, e.name));
      else if (e.isDirectory()) visit(join(d, e.name), depth + 1);
    }
  };
  visit(dir, 0);
  return out;
}

function paperOf(root: string, path: string, module: string | null): string {
  const m = module ? /(?:^|\/)papers\/([^/]+)\//.exec(module.split('\\').join('/')) : null;
  if (m) return m[1];
  const parts = relative(root, path).split(/[\\/]/);
  return parts.length > 2 ? parts[1].split('-')[0] : '-';
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, f) => s + sizeOf(join(path, f)), 0);
}

function staleness(code: string | null, module: string | null, versionOf: (m: string) => string | null): string {
  if (code === null) return 'no code version recorded (written before caches were keyed by code)';
  if (module === null) return 'no module recorded';
  const now = versionOf(module);
  if (now === null) return `its module ${module} no longer exists`;
  return now === code ? '' : `written by other code (now ${now.slice(0, 12)})`;
}

function sweepEntry(root: string, file: string, versionOf: (m: string) => string | null): CacheEntry {
  const modified = statSync(file).mtime.toISOString();
  const base = { kind: 'sweep' as const, path: file, bytes: sizeOf(file), modified };
  const unknown = { configHash: null, code: null, module: null, status: 'stale' as const };
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (s === null || typeof s !== 'object' || Array.isArray(s) || !('result' in s)) {
      throw new Error('not a sweep result');
    }
  } catch (err) {
    return { ...base, ...unknown, paper: paperOf(root, file, null), reason: `corrupt (${(err as Error).message})` };
  }
  const module = typeof s.module === 'string' ? s.module : null;
  const code = typeof s.code === 'string' ? s.code : null;
  const exportName = typeof s.exportName === 'string' ? s.exportName : '';
  let reason = staleness(code, module, versionOf);
  let cfg: string | null = null;
  try {
    cfg = configHash({ module, exportName, config: s.config });
    if (reason === '' && basename(file, '.json') !== sweepEntryKey(module ?? '', exportName, s.config, code ?? '')) {
      reason = 'corrupt (its config and code do not hash to its name)';
    }
  } catch (err) {
    reason = `corrupt (${(err as Error).message})`;
  }
  const status = reason ? 'stale' : 'current';
  return { ...base, paper: paperOf(root, file, module), configHash: cfg, code, module, status, reason };
}

function checkpointEntry(root: string, dir: string, versionOf: (m: string) => string | null): CacheEntry {
  const file = join(dir, 'checkpoint.json');
  const base = { path: dir, bytes: sizeOf(dir) };
  const unknown = {
    paper: paperOf(root, dir, null), kind: 'checkpoint' as const, configHash: null, code: null, module: null,
    status: 'stale' as const,
  };
  if (!existsSync(file)) {
    const modified = statSync(dir).mtime.toISOString();
    return { ...base, ...unknown, reason: 'no checkpoint.json (stopped before its first checkpoint)', modified };
  }
  const modified = statSync(file).mtime.toISOString();
  let ck: Record<string, unknown>;
  try {
    ck = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (ck === null || typeof ck !== 'object' || Array.isArray(ck)) throw new Error('not a JSON object');
  } catch (err) {
    return { ...base, ...unknown, reason: `corrupt checkpoint.json (${(err as Error).message})`, modified };
  }
  const recorded = ck.code as { module?: unknown; version?: unknown } | null | undefined;
  const code = recorded && typeof recorded.version === 'string' ? recorded.version : null;
  const module = recorded && typeof recorded.module === 'string' ? recorded.module : null;
  // Checkpoints written before code versions have no configHash: their hash was the configuration's.
  const legacy = code === null && typeof ck.hash === 'string' ? ck.hash : null;
  const configHash = typeof ck.configHash === 'string' ? ck.configHash : legacy;
  const reason = staleness(code, module, versionOf);
  const kind = ck.done === true ? 'model' : 'checkpoint';
  const status = reason ? 'stale' : 'current';
  return { ...base, paper: paperOf(root, dir, module), kind, configHash, code, module, status, reason, modified };
}
