/**
 * Baseline JPEG through libjpeg-turbo's cjpeg/djpeg (pipes, no files): JFIF BT.601 full-range Y'CbCr, islow
 * DCT, the standard (Annex K) Huffman tables — deliberately not `-optimize`, so every header byte depends only on
 * (size, chroma, quality) and a receiver can hold it in advance. Without `-baseline`, qualities below ~25 use
 * 16-bit quantisation tables (extended sequential), which djpeg decodes; this keeps the low-rate end usable.
 */
import { assertInteger, assertObject, assertOneOf, describe } from '../core/index.js';
import { type ChromaFormat, type RgbImage, CHROMA_FORMATS, assertRgbImage, fromRgb8, solidImage, toRgb8 } from './image.js';
import { runTool } from './tools.js';
import type { EncodedImage } from './types.js';

export interface JpegOptions {
  /** 1..100 (cjpeg -quality). */
  readonly quality: number;
  /** '420' (cjpeg's default 2×2 chroma sampling) or '444'. Default '420'. */
  readonly chroma?: ChromaFormat;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

function ppm(img: RgbImage): Uint8Array {
  const head = Buffer.from(`P6\n${img.width} ${img.height}\n255\n`, 'ascii');
  return Buffer.concat([head, toRgb8(img)]);
}

/** Parses a binary PPM (P6, maxval 255) as djpeg writes it. */
export function parsePpm(buf: Uint8Array): RgbImage {
  if (!(buf instanceof Uint8Array)) {
    throw new TypeError(`buf must be a Uint8Array holding a P6 PPM, got ${describe(buf)}`);
  }
  const fields: string[] = [];
  let p = 0;
  while (fields.length < 4 && p < buf.length) {
    while (p < buf.length && /\s/.test(String.fromCharCode(buf[p]))) p++;
    if (buf[p] === 0x23) { // '#' comment to end of line
      while (p < buf.length && buf[p] !== 0x0a) p++;
      continue;
    }
    const s = p;
    while (p < buf.length && !/\s/.test(String.fromCharCode(buf[p]))) p++;
    fields.push(Buffer.from(buf.subarray(s, p)).toString('ascii'));
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P6' || max !== '255') {
    throw new RangeError(`buf must be a P6 PPM with maxval 255, got ${fields.join(' ')}`);
  }
  const width = Number(w);
  const height = Number(h);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`buf must be a P6 PPM with a positive integer size, got ${w}×${h}`);
  }
  if (buf.length < p + 1 + width * height * 3) {
    throw new RangeError(`buf is truncated: a ${width}×${height} PPM needs ${width * height * 3} pixel bytes`);
  }
  const data = buf.subarray(p + 1, p + 1 + width * height * 3);
  return fromRgb8(Uint8Array.from(data), width, height);
}

/** Splits a single-scan JPEG into [header through the SOS segment, entropy-coded segment] (EOI dropped). */
export function splitJpeg(bytes: Uint8Array): { header: Uint8Array; payload: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes must be a Uint8Array holding a JPEG file, got ${describe(bytes)}`);
  }
  if (bytes[0] !== 0xff || bytes[1] !== SOI) throw new RangeError('bytes must start with a JPEG SOI marker');
  let p = 2;
  for (;;) {
    if (p + 4 > bytes.length || bytes[p] !== 0xff) throw new RangeError(`malformed JPEG marker at byte ${p}`);
    const marker = bytes[p + 1];
    const len = (bytes[p + 2] << 8) | bytes[p + 3];
    p += 2 + len;
    if (marker === SOS) break;
  }
  const end = bytes.length - 2;
  if (bytes[end] !== 0xff || bytes[end + 1] !== EOI) throw new RangeError('bytes must end with a JPEG EOI marker');
  const payload = bytes.slice(p, end);
  for (let i = 0; i + 1 < payload.length; i++) {
    // inside entropy-coded data 0xFF is followed by a stuffed 0x00 or an RSTn marker; anything else is a second scan
    const m = payload[i + 1];
    if (payload[i] === 0xff && m !== 0x00 && !(m >= 0xd0 && m <= 0xd7)) {
      throw new RangeError(`JPEG has more than one scan (marker 0xFF${m.toString(16)} in entropy data): not supported`);
    }
  }
  return { header: bytes.slice(0, p), payload };
}

function checkJpegOptions(opts: JpegOptions): ChromaFormat {
  assertObject('options', opts);
  assertInteger('quality', opts.quality, 1, 100);
  const chroma = opts.chroma === undefined ? '420' : opts.chroma;
  assertOneOf('chroma', chroma, CHROMA_FORMATS);
  return chroma;
}

async function cjpeg(img: RgbImage, quality: number, chroma: ChromaFormat): Promise<Uint8Array> {
  const args = ['-quality', String(quality), '-sample', chroma === '420' ? '2x2' : '1x1', '-dct', 'int'];
  return new Uint8Array((await runTool('cjpeg', args, ppm(img))).stdout);
}

const headerCache = new Map<string, Promise<Uint8Array>>();

/** The fixed header (SOI … SOS) of this setting, taken from a mid-grey image: what the receiver is assumed to hold. */
export function jpegFixedHeader(width: number, height: number, quality: number, chroma: ChromaFormat = '420'): Promise<Uint8Array> {
  assertInteger('width', width, 1, 65535);
  assertInteger('height', height, 1, 65535);
  checkJpegOptions({ quality, chroma });
  const key = `${width}x${height}/${chroma}/${quality}`;
  let h = headerCache.get(key);
  if (!h) {
    h = cjpeg(solidImage(width, height, [0.5, 0.5, 0.5]), quality, chroma).then((b) => splitJpeg(b).header);
    h.catch(() => headerCache.delete(key));
    headerCache.set(key, h);
  }
  return h;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Encodes with cjpeg; checks that the header equals the setting's fixed header, so payloadBits is honest. */
export async function encodeJpeg(img: RgbImage, opts: JpegOptions): Promise<EncodedImage> {
  assertRgbImage('img', img);
  const chroma = checkJpegOptions(opts);
  const bytes = await cjpeg(img, opts.quality, chroma);
  const { header, payload } = splitJpeg(bytes);
  const fixed = await jpegFixedHeader(img.width, img.height, opts.quality, chroma);
  if (!sameBytes(header, fixed)) throw new Error('cjpeg wrote an image-dependent header: the payload-only accounting does not hold');
  return {
    codec: 'jpeg', setting: opts.quality, width: img.width, height: img.height, chroma,
    bytes, payload, totalBits: 8 * bytes.length, payloadBits: 8 * payload.length,
  };
}

/** Decodes a complete JPEG file with djpeg (islow IDCT, libjpeg's default fancy chroma upsampling). */
export async function decodeJpeg(bytes: Uint8Array): Promise<RgbImage> {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) throw new TypeError('bytes must be a Uint8Array holding a JPEG file');
  return parsePpm((await runTool('djpeg', ['-dct', 'int', '-ppm'], bytes)).stdout);
}

/** Receiver side of the payload-only accounting: fixed header + payload + EOI, then djpeg. */
export async function decodeJpegPayload(
  payload: Uint8Array, setting: { width: number; height: number; quality: number; chroma?: ChromaFormat },
): Promise<RgbImage> {
  if (!(payload instanceof Uint8Array)) {
    throw new TypeError(`payload must be a Uint8Array (a JPEG scan), got ${describe(payload)}`);
  }
  assertObject('setting', setting);
  const header = await jpegFixedHeader(setting.width, setting.height, setting.quality, setting.chroma ?? '420');
  const file = new Uint8Array(header.length + payload.length + 2);
  file.set(header);
  file.set(payload, header.length);
  file.set([0xff, EOI], header.length + payload.length);
  return decodeJpeg(file);
}
