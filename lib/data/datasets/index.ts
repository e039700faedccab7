/**
 * The papers' own image datasets, read from the user's disk: Mini-ImageNet (VSCC), PASCAL VOC 2012 (codebook) and
 * Flickr8k (ZEPE Fig. 3). Layouts and where they are looked for: layouts.ts. Decoding: decode.ts (sharp; EXIF
 * orientation applied; shorter side resized to `size` with Lanczos-3, centre crop size×size, 8-bit sRGB / 255).
 *
 * loadImageDataset lists the split (sorted by relative path), shuffles that list with the seed (the project's Rng,
 * Fisher–Yates), keeps the first `count`, and decodes them — or loads them from the cache (cache.ts), keyed by
 * dataset, split, size, count, seed, the decoder's versions and a fingerprint of the selected files (relative name,
 * byte size and mtime of each). So `count: k` is always the first k images of the `count`-less order.
 *
 * Output: x is n × size × size × 3 (NHWC) float32 in [0, 1]; labels (class index into `classes`) where the layout
 * has classes (Mini-ImageNet: the wnid folders or the CSV label column, classes sorted; VOC and Flickr8k have none).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { assertFunction, assertInteger, assertObject, assertOneOf, assertString, cacheDir, MAX_SEED,
  Rng } from '../../core/index.js';
import type { DataCheck } from '../types.js';
import { readEntry, writeEntry } from './cache.js';
import { decodeSquare, decoderId } from './decode.js';
import { DATA_DIR_ENV, DATASET_LAYOUTS, DATASET_NAMES, DATASET_SPLITS, resolveDataset, type DatasetName,
  type DatasetSplit } from './layouts.js';

export type { DatasetName, DatasetSplit } from './layouts.js';
export { DATASET_NAMES, DATASET_LAYOUTS, DATA_DIR_ENV } from './layouts.js';

export interface ImageDatasetOptions {
  readonly dataset: DatasetName;
  /** The data folder (see layouts.ts); default: the environment variable SEMCOM_DATA_DIR. */
  readonly dataDir?: string;
  /** Mini-ImageNet train/val/test; VOC 2012 train/val (no public test set: refused); Flickr8k train/dev/test. */
  readonly split: DatasetSplit;
  /** Output side in pixels: the shorter side is resized to `size`, then the centre size×size is cropped. */
  readonly size: number;
  /** The first `count` images after the seeded shuffle of the split's sorted file list; default all. */
  readonly count?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Cache folder (default cacheDir('datasets')). */
  readonly cacheDir?: string;
  /** Called as images are decoded (and once with (n, n) on a cache hit). Default: a line to stderr every 10 % when
   * 500 or more images are decoded. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ImageSet {
  /** n × size × size × 3, NHWC, values in [0, 1]. */
  readonly x: Float32Array;
  readonly n: number;
  readonly size: number;
  /** Absolute paths of the images, in the order of x. */
  readonly files: readonly string[];
  /** Class index of each image into `classes`, where the layout has classes. */
  readonly labels?: Uint16Array;
  readonly classes?: readonly string[];
}

/** Largest output side (pixels). */
export const MAX_IMAGE_SIZE = 4096;
/** Largest n·size·size·3 (a Float32Array's length limit). */
const MAX_VALUES = 2 ** 32 - 1;

function checkOptions(options: unknown): asserts options is ImageDatasetOptions {
  assertObject('options', options);
  const o = options as Record<string, unknown>;
  assertOneOf('dataset', o.dataset, DATASET_NAMES);
  if (o.dataDir !== undefined) assertString('dataDir', o.dataDir);
  assertOneOf('split', o.split, DATASET_SPLITS);
  assertInteger('size', o.size, 1, MAX_IMAGE_SIZE);
  if (o.count !== undefined) assertInteger('count', o.count, 1, Math.floor(MAX_VALUES / 3));
  if (o.seed !== undefined) assertInteger('seed', o.seed, 0, MAX_SEED);
  if (o.cacheDir !== undefined) assertString('cacheDir', o.cacheDir);
  if (o.onProgress !== undefined) assertFunction('onProgress', o.onProgress);
}

/** sha256 over "relative name \t bytes \t mtime ms" of each file, in order. */
function fingerprint(root: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    const s = statSync(join(root, f));
    h.update(`${f}\t${s.size}\t${Math.round(s.mtimeMs)}\n`);
  }
  return h.digest('hex');
}

const SPLIT_TAG: Record<DatasetSplit, string> = { train: 'train', validation: 'val', test: 'test' };

/** Progress to stderr every 10 % (the default for large sets). */
function stderrProgress(label: string): (done: number, total: number) => void {
  let next = 0;
  return (done, total) => {
    if (done < next && done < total) return;
    process.stderr.write(`[datasets] ${label}: ${done}/${total} images decoded\n`);
    next = done + Math.max(1, Math.ceil(total / 10));
  };
}

/** Loads (decoding, or from the cache) `count` images of one split as a float NHWC array in [0, 1]. */
export async function loadImageDataset(options: ImageDatasetOptions): Promise<ImageSet> {
  checkOptions(options);
  const { dataset, split, size } = options;
  const seed = options.seed ?? 0;
  const resolved = resolveDataset(dataset, options.dataDir);
  const listing = resolved.list(split);
  const total = listing.files.length;
  const { title } = DATASET_LAYOUTS[dataset];
  if (options.count !== undefined && options.count > total) {
    throw new RangeError(`count ${options.count} exceeds the ${total} images of the ${title} ${split} split (${listing.source})`);
  }
  const n = options.count ?? total;
  if (n * size * size * 3 > MAX_VALUES) {
    throw new RangeError(`count × size² × 3 = ${n * size * size * 3} values exceed the limit of ${MAX_VALUES} for one `
      + `Float32Array: pass a smaller count (at most ${Math.floor(MAX_VALUES / (size * size * 3))} at size ${size})`);
  }
  const order = new Rng(seed).permutation(total).subarray(0, n);
  const files = Array.from(order, (i) => listing.files[i]);
  const labels = listing.labels ? Uint16Array.from(order, (i) => listing.labels?.[i] ?? 0) : undefined;

  const dir = options.cacheDir ?? cacheDir('datasets');
  const fp = fingerprint(resolved.root, files);
  const decoder = await decoderId();
  const keyHash = createHash('sha256').update(`${decoder}\n${fp}`).digest('hex').slice(0, 16);
  const key = `${dataset}-${SPLIT_TAG[split]}-${size}px-${options.count ?? 'all'}-seed${seed}-${keyHash}`;
  const meta = { format: 1, key, dataset, split, size, count: options.count ?? null, seed, decoder, fingerprint: fp, n, files };
  const report = options.onProgress ?? (n >= 500 ? stderrProgress(`${dataset} ${split} at ${size} px`) : undefined);

  let bytes = readEntry(dir, meta);
  if (bytes) {
    report?.(n, n);
  } else {
    bytes = new Uint8Array(n * size * size * 3);
    const out = bytes;
    const per = size * size * 3;
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        const path = join(resolved.root, files[i]);
        out.set(await decodeSquare(await readFile(path), size, path), i * per);
        report?.(++done, n);
      }
    };
    const lanes = Math.max(1, Math.min(4, availableParallelism(), n));
    await Promise.all(Array.from({ length: lanes }, worker));
    writeEntry(dir, meta, out);
  }
  const lut = Float32Array.from({ length: 256 }, (_, v) => v / 255);
  const x = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) x[i] = lut[bytes[i]];
  return {
    x, n, size, files: files.map((f) => join(resolved.root, f)),
    ...(labels && listing.classes ? { labels, classes: listing.classes } : {}),
  };
}

/** One `workbook doctor` line: found (layout, counts per split) or not found (where it looked, the layout expected).
 * Optional data: a missing dataset is a warning (required: false), never a failure. */
export function datasetStatus(dataset: DatasetName, dataDir?: string): DataCheck {
  assertOneOf('dataset', dataset, DATASET_NAMES);
  if (dataDir !== undefined) assertString('dataDir', dataDir);
  const { title } = DATASET_LAYOUTS[dataset];
  const name = `${title} (optional, paper profile)`;
  const fix = `put it under a folder and pass --data-dir DIR to workbook run (or set ${DATA_DIR_ENV}); see README "Datasets on disk"`;
  if ((dataDir ?? process.env[DATA_DIR_ENV] ?? '') === '') {
    return { name, ok: false, required: false, detail: `not found: ${DATA_DIR_ENV} is not set`, fix };
  }
  try {
    const r = resolveDataset(dataset, dataDir);
    const counts = r.splits.map((s) => `${s} ${r.list(s).files.length}`).join(', ');
    return { name, ok: true, required: false, detail: `${r.root} (${r.variant}): ${counts}`, fix: '' };
  } catch (err) {
    const why = (err as Error).message.replace(`${title}: `, '');
    return { name, ok: false, required: false, detail: `not found or incomplete: ${why}`, fix };
  }
}
