/**
 * `workbook cache list|clear [paper…]`: the result caches (trained models, unfinished checkpoints, sweep results;
 * lib/nn/cache-index.ts) with their configuration hash and code version, and removal of all of them, a paper's, or
 * only the stale ones. Data caches (photo set, MNIST) are never listed nor removed. Asks nothing; prints what it did.
 */
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { cacheDir } from '../core/index.js';
import { listCacheEntries, removeCacheEntries, type CacheEntry } from '../nn/cache-index.js';

export const CACHE_USAGE = `usage:
  workbook cache list [paper…] [--stale] [--json]   the result caches: paper, kind, config hash, code version,
                                                    current/stale, size, date, entry
  workbook cache clear [paper…] [--stale]           remove them (all, a paper's, or only the stale ones)
Entries: model (a trained model), checkpoint (an unfinished training run, resumable), sweep (one configuration's
result). An entry is current when the code that wrote it is the code as built now (dist/), stale when it was written
by other code, before caches recorded their code, or is corrupt: stale entries are never used, only take space.
The cache lives in $SEMCOM_CACHE, else <project>/.cache (now: CACHE_ROOT).
Data caches there (the photo set, MNIST) are not touched: delete them by hand; \`workbook doctor --fix\` rebuilds
them. Do not clear while a run is going.`;

/** Bad arguments to `workbook cache` (a RangeError: the CLI exits 2). */
export class CacheUsageError extends RangeError {}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** The entries as an aligned text table (paths relative to the cache root). */
export function formatCacheTable(entries: readonly CacheEntry[], root: string): string {
  if (!Array.isArray(entries)) throw new TypeError('entries must be an array of cache entries (listCacheEntries)');
  entries.forEach((e, i) => {
    if (e === null || typeof e !== 'object' || typeof e.path !== 'string') {
      throw new TypeError(`entries[${i}] must be a cache entry`);
    }
    if (!Number.isFinite(e.bytes) || e.bytes < 0) {
      throw new RangeError(`entries[${i}].bytes must be a size >= 0, got ${e.bytes}`);
    }
  });
  if (typeof root !== 'string') throw new TypeError('root must be the cache folder (a path)');
  const head = ['paper', 'kind', 'config', 'code', 'status', 'size', 'date', 'entry'];
  const rows = entries.map((e) => [
    e.paper, e.kind, e.configHash?.slice(0, 12) ?? '-', e.code?.slice(0, 12) ?? 'none',
    e.status === 'current' ? 'current' : `stale: ${e.reason}`, size(e.bytes), e.modified.slice(0, 16).replace('T', ' '),
    relative(root, e.path),
  ]);
  // The status column can be long (its reason): it is not padded, and the columns after it move to the end.
  const order = [0, 1, 2, 3, 5, 6, 7, 4];
  const table = [head, ...rows].map((r) => order.map((i) => r[i]));
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  return table.map(line).join('\n');
}

const count = (n: number): string => `${n} entr${n === 1 ? 'y' : 'ies'}`;

function summary(entries: readonly CacheEntry[]): string {
  const stale = entries.filter((e) => e.status === 'stale');
  const bytes = entries.reduce((s, e) => s + e.bytes, 0);
  const staleBytes = stale.reduce((s, e) => s + e.bytes, 0);
  return `${count(entries.length)}, ${size(bytes)} (${stale.length} stale, ${size(staleBytes)})`;
}

/** Runs `workbook cache …` (argv after "cache"); returns the exit code. */
export function cacheCommand(argv: readonly string[], print: (line: string) => void = console.log): number {
  const [sub, ...rest] = argv;
  const root = cacheDir();
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    print(CACHE_USAGE.replace('CACHE_ROOT', root));
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'list' && sub !== 'clear') {
    const usage = CACHE_USAGE.replace('CACHE_ROOT', root);
    throw new CacheUsageError(`workbook cache takes list or clear, got ${JSON.stringify(sub)}\n\n${usage}`);
  }
  const { values, positionals } = parseArgs({
    args: [...rest], allowPositionals: true,
    options: { stale: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    print(CACHE_USAGE.replace('CACHE_ROOT', root));
    return 0;
  }
  for (const p of positionals) {
    if (!/^[a-z0-9_-]+$/.test(p)) {
      throw new CacheUsageError(`paper must be a lowercase name like "vscc", got ${JSON.stringify(p)}`);
    }
  }
  if (sub === 'clear' && values.json) throw new CacheUsageError('--json goes with list');
  let entries = listCacheEntries({ root, papers: positionals });
  if (values.stale) entries = entries.filter((e) => e.status === 'stale');
  const what = `${positionals.length ? positionals.join(', ') : 'all papers'}${values.stale ? ', stale only' : ''}`;
  if (sub === 'list') {
    if (values.json) {
      print(JSON.stringify({ root, entries }, null, 2));
      return 0;
    }
    print(`result cache ${root} (${what}): ${summary(entries)}`);
    if (entries.length > 0) print(formatCacheTable(entries, root));
    return 0;
  }
  const { removed, bytes } = removeCacheEntries(entries, root);
  for (const e of removed) {
    const why = e.status === 'stale' ? `, stale: ${e.reason}` : '';
    print(`removed ${e.paper} ${e.kind} ${relative(root, e.path)} (${size(e.bytes)}${why})`);
  }
  print(`removed ${count(removed.length)}, ${size(bytes)} from ${root} (${what}); data caches untouched`);
  return 0;
}
