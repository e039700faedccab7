/** Pure, download-free parts of the photo set: patch cutting and the by-photo train/test split. */
import { createHash } from 'node:crypto';
import { assertInRange, assertInteger, assertObject, assertString, describe } from '../core/index.js';
import type { Split } from './types.js';

/** Largest patch side (pixels). */
export const MAX_PATCH_SIZE = 1024;

/** Largest photo side (pixels) a decoded photo may have. */
export const MAX_PHOTO_SIDE = 16384;

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved 8-bit RGB, row-major (height × width × 3). */
  readonly rgb: Uint8Array;
}

export interface PatchGrid {
  /** count × patchSize × patchSize × 3, Uint8. */
  readonly patches: Uint8Array;
  readonly count: number;
  readonly cols: number;
  readonly rows: number;
}

/** Non-overlapping patchSize² tiles on a grid centred in the image (the leftover border is split evenly). */
export function cutPatches(image: DecodedImage, patchSize: number): PatchGrid {
  assertInteger('patchSize', patchSize, 1, MAX_PATCH_SIZE);
  assertObject('image', image);
  const { width, height, rgb } = image;
  assertInteger('image.width', width, 1, MAX_PHOTO_SIDE);
  assertInteger('image.height', height, 1, MAX_PHOTO_SIDE);
  if (!(rgb instanceof Uint8Array)) {
    throw new TypeError(`image.rgb must be a Uint8Array of interleaved RGB bytes, got ${describe(rgb)}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `image.rgb must hold image.width·image.height·3 = ${width * height * 3} bytes, got ${rgb.length}`,
    );
  }
  const cols = Math.floor(width / patchSize);
  const rows = Math.floor(height / patchSize);
  const x0 = Math.floor((width - cols * patchSize) / 2);
  const y0 = Math.floor((height - rows * patchSize) / 2);
  const rowBytes = patchSize * 3;
  const patches = new Uint8Array(rows * cols * patchSize * rowBytes);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let y = 0; y < patchSize; y++) {
        const start = ((y0 + r * patchSize + y) * width + x0 + c * patchSize) * 3;
        patches.set(rgb.subarray(start, start + rowBytes), o);
        o += rowBytes;
      }
    }
  }
  return { patches, count: rows * cols, cols, rows };
}

/** A photo's position in the split order: the sha256 of its id (stable, independent of list order). */
export function photoHash(id: string): string {
  assertString('id', id);
  return createHash('sha256').update(id).digest('hex');
}

/**
 * Assigns whole photos to train or test: photos sorted by photoHash(id), the first round(testFraction·N)
 * (at least 1 when N ≥ 2) go to test. Deterministic, and no photo can appear in both splits.
 */
export function splitByPhoto(ids: readonly string[], testFraction = 0.2): Map<string, Split> {
  assertInRange('testFraction', testFraction, 0, 1);
  if (!Array.isArray(ids)) throw new TypeError(`ids must be an array of photo ids (strings), got ${describe(ids)}`);
  ids.forEach((id, i) => assertString(`ids[${i}]`, id));
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) throw new RangeError('photo ids must be unique');
  const order = unique.map((id) => ({ id, h: photoHash(id) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  let nTest = Math.round(testFraction * order.length);
  if (testFraction > 0 && order.length >= 2) nTest = Math.max(1, nTest);
  if (testFraction < 1 && order.length >= 2) nTest = Math.min(order.length - 1, nTest);
  const out = new Map<string, Split>();
  order.forEach((e, i) => out.set(e.id, i < nTest ? 'test' : 'train'));
  return out;
}

export interface PhotoPatches {
  readonly id: string;
  readonly grid: PatchGrid;
}

export interface SplitPatches {
  /** n × P × P × 3 Uint8, photos in id order, each photo's patches contiguous. */
  readonly data: Uint8Array;
  readonly n: number;
  readonly photos: readonly { readonly id: string; readonly count: number }[];
}

/** Concatenates each split's patches (photos in sorted id order, so the output does not depend on input order). */
export function assembleSplits(photos: readonly PhotoPatches[], split: ReadonlyMap<string, Split>, patchSize: number): Record<Split, SplitPatches> {
  if (!Array.isArray(photos)) throw new TypeError(`photos must be an array of { id, grid }, got ${describe(photos)}`);
  if (!(split instanceof Map)) {
    throw new TypeError(`split must be a Map from photo id to 'train' | 'test' (splitByPhoto), got ${describe(split)}`);
  }
  assertInteger('patchSize', patchSize, 1, MAX_PATCH_SIZE);
  const bytes = patchSize * patchSize * 3;
  const sorted = [...photos].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const result = {} as Record<Split, SplitPatches>;
  for (const s of ['train', 'test'] as const) {
    const members = sorted.filter((p) => {
      const which = split.get(p.id);
      if (which === undefined) throw new RangeError(`photo ${p.id} has no split assignment`);
      return which === s && p.grid.count > 0;
    });
    const n = members.reduce((acc, p) => acc + p.grid.count, 0);
    const data = new Uint8Array(n * bytes);
    let o = 0;
    for (const p of members) {
      if (p.grid.patches.length !== p.grid.count * bytes) throw new RangeError(`photo ${p.id}: patch buffer does not match patchSize ${patchSize}`);
      data.set(p.grid.patches, o);
      o += p.grid.patches.length;
    }
    result[s] = { data, n, photos: members.map((p) => ({ id: p.id, count: p.grid.count })) };
  }
  return result;
}
