/**
 * The decoded-dataset cache: one entry per (dataset, split, size, count, seed, selected files' fingerprint, decoder).
 *
 *   <dir>/<key>.u8    n × size × size × 3 bytes, the 8-bit sRGB squares of decode.ts in selection order
 *   <key>.json        what the entry holds: the key's parts, the file list, byte count and sha256 of <key>.u8
 *
 * Writes are atomic and ordered: the .u8 goes to a temporary name, is flushed and renamed, and only then the .json is
 * written (atomically). A load trusts an entry only when the .json parses, matches the request, and the .u8 has the
 * recorded length and sha256 — so an interrupted write (or a .json left from an older .u8) is a miss, never used.
 * Files are read and written in 64 MiB chunks, so entries past Node's 2 GiB single-read limit work.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync,
  writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/index.js';

export const CACHE_FORMAT = 1;
const CHUNK = 64 * 1024 * 1024;

export interface CacheManifest {
  readonly format: number;
  readonly key: string;
  readonly dataset: string;
  readonly split: string;
  readonly size: number;
  readonly count: number | null;
  readonly seed: number;
  readonly decoder: string;
  /** sha256 over the selected files' relative names, byte sizes and mtimes. */
  readonly fingerprint: string;
  readonly n: number;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly sha256: string;
}

export const entryPaths = (dir: string, key: string): { data: string; manifest: string } =>
  ({ data: join(dir, `${key}.u8`), manifest: join(dir, `${key}.json`) });

/** The cached bytes when a complete entry matching `expect` exists; null otherwise (a miss, never an error). */
export function readEntry(dir: string, expect: Omit<CacheManifest, 'bytes' | 'sha256'>): Uint8Array | null {
  const { data, manifest } = entryPaths(dir, expect.key);
  if (!existsSync(manifest) || !existsSync(data)) return null;
  let m: CacheManifest;
  try {
    m = JSON.parse(readFileSync(manifest, 'utf8')) as CacheManifest;
  } catch {
    return null;
  }
  const same = m.format === CACHE_FORMAT && m.decoder === expect.decoder && m.fingerprint === expect.fingerprint
    && m.n === expect.n && m.size === expect.size && Array.isArray(m.files) && m.files.length === expect.files.length
    && m.files.every((f, i) => f === expect.files[i]) && m.bytes === expect.n * expect.size * expect.size * 3;
  if (!same) return null;
  const fd = openSync(data, 'r');
  try {
    if (fstatSync(fd).size !== m.bytes) return null;
    const out = new Uint8Array(m.bytes);
    const hash = createHash('sha256');
    for (let off = 0; off < m.bytes;) {
      const got = readSync(fd, out, off, Math.min(CHUNK, m.bytes - off), off);
      if (got <= 0) return null;
      hash.update(out.subarray(off, off + got));
      off += got;
    }
    return hash.digest('hex') === m.sha256 ? out : null;
  } finally {
    closeSync(fd);
  }
}

/** Writes an entry: the bytes first (temp file, fsync, rename), then its manifest. */
export function writeEntry(dir: string, meta: Omit<CacheManifest, 'bytes' | 'sha256'>, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  const { data, manifest } = entryPaths(dir, meta.key);
  rmSync(manifest, { force: true }); // an old manifest must not vouch for the new bytes while they are written
  const tmp = join(dir, `.${meta.key}.u8.${process.pid}.${Date.now()}.tmp`);
  const hash = createHash('sha256');
  const fd = openSync(tmp, 'w');
  try {
    for (let off = 0; off < bytes.length; off += CHUNK) {
      const part = bytes.subarray(off, Math.min(bytes.length, off + CHUNK));
      hash.update(part);
      for (let w = 0; w < part.length;) w += writeSync(fd, part, w, part.length - w);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, data);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
  writeJsonAtomic(manifest, { ...meta, bytes: bytes.length, sha256: hash.digest('hex') } satisfies CacheManifest);
}
