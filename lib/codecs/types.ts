/** Shared result types of the separate source coders. */
import type { ChromaFormat } from './image.js';

export type CodecName = 'jpeg' | 'hevc';
export const CODEC_NAMES: readonly CodecName[] = ['jpeg', 'hevc'];

/**
 * One coded image. `bytes` is the complete file a tool writes; `payload` the image-dependent part a baseline
 * transmits, assuming the receiver already holds the fixed headers of this (size, chroma, setting):
 * JPEG — the entropy-coded segment between the SOS header and EOI (tables, frame and scan headers known);
 * HEVC — the single slice NAL unit (its 2-byte NAL header included, start code excluded; VPS/SPS/PPS known).
 * The setting itself (7 bits of JPEG quality, 6 bits of QP) is not counted either.
 */
export interface EncodedImage {
  readonly codec: CodecName;
  /** JPEG quality (1..100) or HEVC QP (0..51). */
  readonly setting: number;
  readonly width: number;
  readonly height: number;
  readonly chroma: ChromaFormat;
  readonly bytes: Uint8Array;
  readonly payload: Uint8Array;
  /** 8 · bytes.length. */
  readonly totalBits: number;
  /** 8 · payload.length. */
  readonly payloadBits: number;
}
