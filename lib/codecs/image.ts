/**
 * Images as the codecs see them: interleaved HWC RGB Float32Array in [0, 1] (the layout of lib/data's photo
 * patches), their 8-bit form, BT.601 full-range (JFIF) Y'CbCr conversion and 4:2:0 chroma resampling.
 *
 * Every function checks its image: pixels outside [0, 1] (or NaN) are refused, never clamped or wrapped (toRgb8
 * used to wrap 1.5 to 127): a value out of range means the caller forgot to clamp a decoder's or a model's output,
 * and the caller should decide how.
 */
import { MAX_ELEMENTS, assertInteger, assertObject, assertOneOf, assertSize, describe } from '../core/index.js';

export interface RgbImage {
  /** height × width × 3, row-major, values in [0, 1]. */
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Chroma sampling of the coded picture: 4:2:0 (JPEG's and BPG's default) or full-resolution 4:4:4. */
export type ChromaFormat = '420' | '444';
export const CHROMA_FORMATS: readonly ChromaFormat[] = ['420', '444'];

/** Throws unless `img` is an RgbImage with finite pixels in [0, 1]. */
export function assertRgbImage(name: string, img: unknown): asserts img is RgbImage {
  const im = img as RgbImage | null | undefined;
  if (!im || !(im.data instanceof Float32Array)) {
    throw new TypeError(`${name} must be { data: Float32Array, width, height }, got ${describe(img)}`);
  }
  assertSize(`${name}.width`, im.width, 1);
  assertSize(`${name}.height`, im.height, 1);
  const want = im.width * im.height * 3;
  if (im.data.length !== want) {
    throw new RangeError(
      `${name}.data must hold ${name}.height·${name}.width·3 = ${want} values, got ${im.data.length}`,
    );
  }
  for (let i = 0; i < want; i++) {
    const v = im.data[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name}.data[${i}] must be in [0, 1], got ${v}`);
  }
}

/** Image i of a batch laid out as lib/data's PhotoPatchSet (`x`: n × height × width × 3); a view, not a copy. */
export function imageAt(set: { readonly x: Float32Array; readonly width: number; readonly height: number }, i: number): RgbImage {
  assertObject('set', set);
  if (!(set.x instanceof Float32Array)) {
    throw new TypeError(`set.x must be a Float32Array of n × height × width × 3 values, got ${describe(set.x)}`);
  }
  assertSize('set.width', set.width, 1);
  assertSize('set.height', set.height, 1);
  const size = set.width * set.height * 3;
  if (set.x.length === 0 || set.x.length % size !== 0) {
    throw new RangeError(`set.x must hold whole images of height·width·3 = ${size} values, got ${set.x.length}`);
  }
  const n = Math.floor(set.x.length / size);
  assertInteger('i', i, 0, n - 1);
  return { data: set.x.subarray(i * size, (i + 1) * size), width: set.width, height: set.height };
}

/** [0, 1] → 0..255 by rounding (the quantisation every 8-bit codec input goes through); RangeError outside [0, 1]. */
export function toRgb8(img: RgbImage): Uint8Array {
  assertRgbImage('img', img);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(img.data[i] * 255);
  return out;
}

export function fromRgb8(rgb: Uint8Array, width: number, height: number): RgbImage {
  if (!(rgb instanceof Uint8Array)) {
    throw new TypeError(`rgb must be a Uint8Array of height·width·3 bytes, got ${describe(rgb)}`);
  }
  assertSize('width', width, 1);
  assertSize('height', height, 1);
  if (rgb.length !== width * height * 3) throw new RangeError(`rgb must hold ${width * height * 3} bytes, got ${rgb.length}`);
  const data = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i] / 255;
  return { data, width, height };
}

/** Throws unless `colour` is [r, g, b] with each value in [0, 1]. */
export function assertColour(name: string, colour: unknown): asserts colour is readonly [number, number, number] {
  if (!Array.isArray(colour) || colour.length !== 3) {
    throw new TypeError(`${name} must be [r, g, b] in [0, 1], got ${describe(colour)}`);
  }
  colour.forEach((c, i) => {
    if (typeof c !== 'number' || !(c >= 0 && c <= 1)) {
      throw new RangeError(`${name}[${i}] must be in [0, 1], got ${describe(c)}`);
    }
  });
}

/** A flat image of one colour: what the receiver shows when a coded image is lost. */
export function solidImage(width: number, height: number, colour: readonly [number, number, number]): RgbImage {
  checkPlaneSize(width, height, 3);
  assertColour('colour', colour);
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data.set(colour, p * 3);
  return { data, width, height };
}

/** Mean RGB colour of a batch (n × … × 3 interleaved), e.g. of the training set: a fallback the receiver may know. */
export function meanColour(x: Float32Array): [number, number, number] {
  if (!(x instanceof Float32Array)) {
    throw new TypeError(`x must be a Float32Array of interleaved RGB values, got ${describe(x)}`);
  }
  if (x.length === 0 || x.length % 3 !== 0) {
    throw new RangeError(`x must be a non-empty Float32Array of interleaved RGB values, got length ${x.length}`);
  }
  const s = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 0 && x[i] <= 1)) throw new RangeError(`x[${i}] must be in [0, 1], got ${x[i]}`);
    s[i % 3] += x[i];
  }
  const n = x.length / 3;
  return [s[0] / n, s[1] / n, s[2] / n];
}

/** Y'CbCr planes on the 8-bit scale (Y in 0..255, Cb/Cr centred on 128), full resolution, unquantised. */
export interface YcbcrPlanes {
  readonly y: Float32Array;
  readonly cb: Float32Array;
  readonly cr: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** ITU-R BT.601 luma weights with full-range scaling (JFIF / BPG's default "ycbcr" matrix). */
const KR = 0.299;
const KB = 0.114;
const KG = 1 - KR - KB;

export function rgbToYcbcr(img: RgbImage): YcbcrPlanes {
  assertRgbImage('img', img);
  const n = img.width * img.height;
  const y = new Float32Array(n);
  const cb = new Float32Array(n);
  const cr = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const r = img.data[3 * p] * 255;
    const g = img.data[3 * p + 1] * 255;
    const b = img.data[3 * p + 2] * 255;
    const l = KR * r + KG * g + KB * b;
    y[p] = l;
    cb[p] = 128 + (b - l) / (2 * (1 - KB));
    cr[p] = 128 + (r - l) / (2 * (1 - KR));
  }
  return { y, cb, cr, width: img.width, height: img.height };
}

/** Inverse of rgbToYcbcr, clamped to [0, 1] (codec noise can leave the RGB cube). */
export function ycbcrToRgb(planes: YcbcrPlanes): RgbImage {
  assertObject('planes', planes);
  const { width, height } = planes;
  checkPlaneSize(width, height, 3, 'planes.');
  const n = width * height;
  for (const k of ['y', 'cb', 'cr'] as const) checkPlane(`planes.${k}`, planes[k], n);
  const data = new Float32Array(3 * n);
  const clamp = (v: number): number => Math.min(1, Math.max(0, v / 255));
  for (let p = 0; p < n; p++) {
    const l = planes.y[p];
    const u = planes.cb[p] - 128;
    const v = planes.cr[p] - 128;
    const r = l + 2 * (1 - KR) * v;
    const b = l + 2 * (1 - KB) * u;
    data[3 * p] = clamp(r);
    data[3 * p + 1] = clamp((l - KR * r - KB * b) / KG);
    data[3 * p + 2] = clamp(b);
  }
  return { data, width, height };
}

/** width × height (each a size, the product times `per` at most MAX_ELEMENTS). */
function checkPlaneSize(width: number, height: number, per: number, prefix = '', even = false): void {
  assertSize(`${prefix}width`, width, even ? 2 : 1);
  assertSize(`${prefix}height`, height, even ? 2 : 1);
  if (even && (width % 2 !== 0 || height % 2 !== 0)) {
    throw new RangeError(`${prefix}width and ${prefix}height must be even, got ${width}×${height}`);
  }
  if (width * height * per > MAX_ELEMENTS) {
    throw new RangeError(
      `${prefix}width × ${prefix}height = ${width}×${height} is more than the limit of ${MAX_ELEMENTS / per} pixels`,
    );
  }
}

/** A Float32Array of `length` finite values. */
function checkPlane(name: string, plane: unknown, length: number): asserts plane is Float32Array {
  if (!(plane instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array, got ${describe(plane)}`);
  if (plane.length !== length) throw new RangeError(`${name} must hold ${length} values, got ${plane.length}`);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(plane[i])) throw new RangeError(`${name}[${i}] must be finite, got ${plane[i]}`);
  }
}

/** 2×2 box average (chroma sited between the luma samples, as in JPEG). Requires even sizes. */
export function downsample2x2(plane: Float32Array, width: number, height: number): Float32Array {
  checkPlaneSize(width, height, 1, '', true);
  checkPlane('plane', plane, width * height);
  const w2 = width / 2;
  const h2 = height / 2;
  const out = new Float32Array(w2 * h2);
  for (let j = 0; j < h2; j++) {
    for (let i = 0; i < w2; i++) {
      const a = 2 * j * width + 2 * i;
      out[j * w2 + i] = (plane[a] + plane[a + 1] + plane[a + width] + plane[a + width + 1]) / 4;
    }
  }
  return out;
}

/** Bilinear 2× upsampling for centred chroma siting: weights 3/4, 1/4 per axis (libjpeg's "fancy" upsampling). */
export function upsample2x2(plane: Float32Array, width: number, height: number): Float32Array {
  checkPlaneSize(width, height, 1, '', true);
  checkPlane('plane', plane, (width * height) / 4);
  const w2 = width / 2;
  const h2 = height / 2;
  const at = (i: number, j: number): number => plane[Math.min(h2 - 1, Math.max(0, j)) * w2 + Math.min(w2 - 1, Math.max(0, i))];
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const j = y >> 1;
    const jn = y & 1 ? j + 1 : j - 1; // the nearer neighbouring chroma row
    for (let x = 0; x < width; x++) {
      const i = x >> 1;
      const inb = x & 1 ? i + 1 : i - 1;
      out[y * width + x] = (9 * at(i, j) + 3 * at(inb, j) + 3 * at(i, jn) + at(inb, jn)) / 16;
    }
  }
  return out;
}

const byte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

/** Planar 8-bit Y, Cb, Cr (I420 for '420', I444 for '444'), the raw input x265 reads. */
export function toPlanarYuv(img: RgbImage, chroma: ChromaFormat): Uint8Array {
  assertRgbImage('img', img);
  assertOneOf('chroma', chroma, CHROMA_FORMATS);
  if (chroma === '420' && (img.width % 2 !== 0 || img.height % 2 !== 0)) {
    throw new RangeError(`img must have even width and height for 4:2:0 chroma, got ${img.width}×${img.height}`);
  }
  const { y, cb, cr, width, height } = rgbToYcbcr(img);
  const c = chroma === '420' ? [downsample2x2(cb, width, height), downsample2x2(cr, width, height)] : [cb, cr];
  const out = new Uint8Array(y.length + 2 * c[0].length);
  y.forEach((v, i) => (out[i] = byte(v)));
  c[0].forEach((v, i) => (out[y.length + i] = byte(v)));
  c[1].forEach((v, i) => (out[y.length + c[0].length + i] = byte(v)));
  return out;
}

/** Inverse of toPlanarYuv (chroma upsampled for '420'). */
export function fromPlanarYuv(yuv: Uint8Array, width: number, height: number, chroma: ChromaFormat): RgbImage {
  if (!(yuv instanceof Uint8Array)) {
    throw new TypeError(`yuv must be a Uint8Array of planar Y, Cb, Cr bytes, got ${describe(yuv)}`);
  }
  assertOneOf('chroma', chroma, CHROMA_FORMATS);
  checkPlaneSize(width, height, 3, '', chroma === '420');
  const n = width * height;
  const nc = chroma === '420' ? n / 4 : n;
  if (yuv.length !== n + 2 * nc) throw new RangeError(`yuv must hold ${n + 2 * nc} bytes for ${width}×${height} ${chroma}, got ${yuv.length}`);
  const plane = (off: number, len: number): Float32Array => Float32Array.from(yuv.subarray(off, off + len));
  let cb = plane(n, nc);
  let cr = plane(n + nc, nc);
  if (chroma === '420') {
    cb = upsample2x2(cb, width, height);
    cr = upsample2x2(cr, width, height);
  }
  return ycbcrToRgb({ y: plane(0, n), cb, cr, width, height });
}
