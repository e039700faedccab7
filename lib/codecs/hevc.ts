/**
 * HEVC intra ("BPG-like") through the x265 encoder and libde265's dec265 decoder, via files in a private
 * temporary folder. RGB → BT.601 full-range Y'CbCr (4:2:0 by default, as bpgenc; 4:4:4 also works with both
 * tools) → one IDR picture at constant QP. Defaults follow libbpg's x265 glue (x265_glue.c): preset "placebo"
 * (bpgenc's default compression level 8), keyint 1, no info SEI, no picture hash; tune defaults to "psnr"
 * here (bpgenc uses "ssim") because the figures compare PSNR. The CTU is the largest of 64/32/16 that fits:
 * x265 rejects pictures smaller than one CTU, so both sides must be ≥ 16 px (and even for 4:2:0).
 */
import { assertInteger, assertObject, assertOneOf, describe } from '../core/index.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChromaFormat, type RgbImage, CHROMA_FORMATS, assertRgbImage, fromPlanarYuv, solidImage, toPlanarYuv } from './image.js';
import { runTool, withTempDir } from './tools.js';
import type { EncodedImage } from './types.js';

export type X265Preset = 'medium' | 'slow' | 'slower' | 'veryslow' | 'placebo';
export const X265_PRESETS: readonly X265Preset[] = ['medium', 'slow', 'slower', 'veryslow', 'placebo'];
export type X265Tune = 'psnr' | 'ssim';

export interface HevcOptions {
  /** Constant quantisation parameter 0..51 (lower = better). */
  readonly qp: number;
  /** Default '420'. */
  readonly chroma?: ChromaFormat;
  /** Default 'placebo' (bpgenc's default). */
  readonly preset?: X265Preset;
  /** Default 'psnr'. */
  readonly tune?: X265Tune;
}

type Resolved = Required<HevcOptions>;

/** Smallest picture side x265 accepts (its smallest CTU). */
export const HEVC_MIN_SIZE = 16;

function resolveHevc(width: number, height: number, opts: HevcOptions): Resolved {
  assertObject('options', opts);
  assertInteger('qp', opts.qp, 0, 51);
  const chroma = opts.chroma ?? '420';
  assertOneOf('chroma', chroma, CHROMA_FORMATS);
  const preset = opts.preset ?? 'placebo';
  assertOneOf('preset', preset, X265_PRESETS);
  const tune = opts.tune ?? 'psnr';
  assertOneOf('tune', tune, ['psnr', 'ssim'] as const);
  assertInteger('width', width, HEVC_MIN_SIZE, 16384);
  assertInteger('height', height, HEVC_MIN_SIZE, 16384);
  if (chroma === '420' && (width % 2 || height % 2)) {
    throw new RangeError(`width and height must be even for 4:2:0 HEVC, got ${width}×${height}`);
  }
  return { qp: opts.qp, chroma, preset, tune };
}

/** A NAL unit of an Annex-B stream (start code removed). */
export interface NalUnit {
  /** nal_unit_type (0..31 VCL/slice data, 32 VPS, 33 SPS, 34 PPS, 39/40 SEI). */
  readonly type: number;
  readonly bytes: Uint8Array;
}

/** Splits an Annex-B byte stream at its 00 00 01 start codes. */
export function splitAnnexB(stream: Uint8Array): NalUnit[] {
  if (!(stream instanceof Uint8Array)) {
    throw new TypeError(`stream must be a Uint8Array (an Annex-B byte stream), got ${describe(stream)}`);
  }
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  if (starts.length === 0) throw new RangeError('stream holds no Annex-B start code');
  return starts.map((s, k) => {
    let e = k + 1 < starts.length ? starts[k + 1] - 3 : stream.length;
    while (e > s && stream[e - 1] === 0) e--; // a NAL unit never ends in 0x00: these belong to the next start code
    const bytes = stream.slice(s, e);
    return { type: (bytes[0] >> 1) & 0x3f, bytes };
  });
}

const START = Uint8Array.of(0, 0, 0, 1);

function annexB(nals: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nals.reduce((s, n) => s + 4 + n.length, 0));
  let o = 0;
  for (const n of nals) {
    out.set(START, o);
    out.set(n, o + 4);
    o += 4 + n.length;
  }
  return out;
}

async function x265(img: RgbImage, o: Resolved): Promise<Uint8Array> {
  const side = Math.min(img.width, img.height);
  const ctu = side >= 64 ? 64 : side >= 32 ? 32 : 16;
  const args = [
    '--input', '-', '--input-res', `${img.width}x${img.height}`, '--input-csp', `i${o.chroma}`, '--input-depth', '8',
    '--output-depth', '8', '--fps', '25', '--frames', '1', '--keyint', '1', '--ctu', String(ctu),
    '--preset', o.preset, '--tune', o.tune, '--qp', String(o.qp), '--no-info', '--no-progress',
    '--log-level', 'error', '--pools', 'none', '--frame-threads', '1',
  ];
  return withTempDir(async (dir) => {
    const file = join(dir, 'out.hevc');
    await runTool('x265', [...args, '--output', file], toPlanarYuv(img, o.chroma));
    return new Uint8Array(await readFile(file));
  });
}

/** Splits x265's output into its parameter-set/SEI NAL units and its single slice NAL unit. */
function splitHevc(bytes: Uint8Array): { header: Uint8Array; payload: Uint8Array } {
  const nals = splitAnnexB(bytes);
  const vcl = nals.filter((n) => n.type < 32);
  if (vcl.length !== 1) throw new Error(`expected exactly one slice NAL unit from x265, got ${vcl.length}`);
  return { header: annexB(nals.filter((n) => n.type >= 32).map((n) => n.bytes)), payload: vcl[0].bytes };
}

const headerCache = new Map<string, Promise<Uint8Array>>();

/** Parameter sets of this setting, from a mid-grey picture: what the receiver is assumed to hold. */
export function hevcFixedHeader(width: number, height: number, opts: HevcOptions): Promise<Uint8Array> {
  const o = resolveHevc(width, height, opts);
  const key = `${width}x${height}/${o.chroma}/${o.qp}/${o.preset}/${o.tune}`;
  let h = headerCache.get(key);
  if (!h) {
    h = x265(solidImage(width, height, [0.5, 0.5, 0.5]), o).then((b) => splitHevc(b).header);
    h.catch(() => headerCache.delete(key));
    headerCache.set(key, h);
  }
  return h;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** One intra picture; checks that its parameter sets equal the setting's fixed ones, so payloadBits is honest. */
export async function encodeHevcIntra(img: RgbImage, opts: HevcOptions): Promise<EncodedImage> {
  assertRgbImage('img', img);
  const o = resolveHevc(img.width, img.height, opts);
  const bytes = await x265(img, o);
  const { header, payload } = splitHevc(bytes);
  if (!sameBytes(header, await hevcFixedHeader(img.width, img.height, o))) {
    throw new Error('x265 wrote image-dependent parameter sets: the payload-only accounting does not hold');
  }
  return {
    codec: 'hevc', setting: o.qp, width: img.width, height: img.height, chroma: o.chroma,
    bytes, payload, totalBits: 8 * bytes.length, payloadBits: 8 * payload.length,
  };
}

/** Decodes an Annex-B HEVC stream with dec265; size and chroma format come from the stream itself. */
export async function decodeHevc(bytes: Uint8Array): Promise<RgbImage> {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw new TypeError('bytes must be a Uint8Array holding an HEVC stream');
  return withTempDir(async (dir) => {
    const input = join(dir, 'in.hevc');
    const output = join(dir, 'out.yuv');
    await writeFile(input, bytes);
    const { stdout, stderr } = await runTool('libde265-dec265', ['-q', '-t', '0', '-o', output, input]);
    const m = /decoded:\s*1\s*\((\d+)x(\d+)/.exec(stdout.toString('utf8') + stderr);
    if (!m) throw new Error(`dec265 decoded no picture: ${(stdout.toString('utf8') + stderr).trim().slice(0, 300)}`);
    const width = Number(m[1]);
    const height = Number(m[2]);
    const yuv = new Uint8Array(await readFile(output));
    const chroma: ChromaFormat = yuv.length === width * height * 3 ? '444' : '420';
    return fromPlanarYuv(yuv, width, height, chroma);
  });
}

/** Receiver side of the payload-only accounting: fixed parameter sets + the slice NAL unit, then dec265. */
export async function decodeHevcPayload(payload: Uint8Array, setting: { width: number; height: number } & HevcOptions): Promise<RgbImage> {
  if (!(payload instanceof Uint8Array)) {
    throw new TypeError(`payload must be a Uint8Array (a slice NAL unit), got ${describe(payload)}`);
  }
  assertObject('setting', setting);
  const header = await hevcFixedHeader(setting.width, setting.height, setting);
  const file = new Uint8Array(header.length + 4 + payload.length);
  file.set(header);
  file.set(START, header.length);
  file.set(payload, header.length + 4);
  return decodeHevc(file);
}
