/** Shared checks for interleaved HWC images (row-major, channels last). */
import { assertObject, assertPositive, assertSize, describe, isNumericArray } from '../core/index.js';

/** Any numeric array works; Float32Array in [0, maxValue] is the usual form. */
export type Pixels = ArrayLike<number>;

export interface ImageShape {
  readonly width: number;
  readonly height: number;
  /** Interleaved channels per pixel (default 1). */
  readonly channels?: number;
}

export interface ResolvedShape {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export function assertPixels(name: string, a: unknown): asserts a is Pixels {
  if (!isNumericArray(a)) {
    throw new TypeError(`${name} must be a numeric array (e.g. Float32Array), got ${describe(a)}`);
  }
}

export function assertSameLength(a: Pixels, b: Pixels): void {
  if (a.length !== b.length) throw new RangeError(`a and b must have the same length, got ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError('a and b must be non-empty');
}

export function resolveMaxValue(maxValue: number | undefined): number {
  const L = maxValue ?? 1;
  assertPositive('maxValue', L);
  return L;
}

/** Validates width/height/channels against the buffer length (per image, or per batch of n images). */
export function resolveShape(shape: ImageShape, length: number, n = 1): ResolvedShape {
  assertObject('options', shape);
  const { width, height } = shape;
  const channels = shape.channels ?? 1;
  assertSize('width', width, 1);
  assertSize('height', height, 1);
  assertSize('channels', channels, 1);
  const expected = n * width * height * channels;
  if (length !== expected) {
    const dims = n === 1 ? `${height}×${width}×${channels}` : `${n}×${height}×${width}×${channels}`;
    throw new RangeError(`image length must equal ${dims} = ${expected}, got ${length}`);
  }
  return { width, height, channels };
}

/** Rejects NaN/±Infinity pixels so they never become a NaN metric. */
export function assertFinitePixels(name: string, a: Pixels): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`${name}[${i}] must be finite, got ${a[i]}`);
  }
}
