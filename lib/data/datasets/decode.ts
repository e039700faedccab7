/**
 * Decodes one image file into a size×size sRGB square with the npm `sharp` library (libvips, shipped inside npm
 * packages: no download, no Python).
 *
 * Steps, all fixed so the result depends only on the file and `size`:
 *   1. decode (JPEG, PNG, …, recognised by content, not by name); apply the EXIF orientation (sharp autoOrient);
 *   2. resize so the SHORTER side is `size` (up or down), the longer side round(long·size/short), with the Lanczos-3
 *      kernel and no JPEG shrink-on-load (which would make the result depend on the DCT scaling libjpeg picks);
 *   3. crop the centre size×size: left = ⌊(W − size)/2⌋, top = ⌊(H − size)/2⌋ (coverGeometry below);
 *   4. convert to 8-bit sRGB (embedded ICC profiles, CMYK and 16-bit inputs included), drop any alpha channel without
 *      compositing, expand greyscale to three equal channels.
 * Output: Uint8Array of size·size·3 bytes, row-major, channels RGB (NHWC for one image). Values /255 give [0, 1].
 *
 * Bit-exact results are tied to the libvips build: DECODER_ID names the sharp and libvips versions, and the dataset
 * cache is keyed by it.
 */
import type { Sharp, SharpOptions } from 'sharp';

type SharpFactory = (input?: Buffer, options?: SharpOptions) => Sharp;
interface SharpModule { readonly default: SharpFactory & { readonly versions: Record<string, string | undefined> } }

let loaded: Promise<SharpModule['default']> | null = null;

/** sharp, loaded on first use (so importing lib/data does not load libvips). */
export function loadSharp(): Promise<SharpModule['default']> {
  loaded ??= (import('sharp') as unknown as Promise<SharpModule>).then((m) => m.default, (err: Error) => {
    loaded = null;
    throw new Error(`the image library sharp could not be loaded (${err.message}). Fix: npm ci`);
  });
  return loaded;
}

/** Version of the resize/crop/convert recipe above; bump when it changes so caches are redone. */
export const DECODE_RECIPE = 1;

/** "sharp X, libvips Y, lanczos3, recipe N": part of every dataset cache key. */
export async function decoderId(): Promise<string> {
  const sharp = await loadSharp();
  return `sharp ${sharp.versions.sharp ?? '?'}, libvips ${sharp.versions.vips ?? '?'}, lanczos3, recipe ${DECODE_RECIPE}`;
}

export interface CoverGeometry {
  /** Size after the resize (shorter side = size). */
  readonly width: number;
  readonly height: number;
  /** Top-left corner of the centre crop. */
  readonly left: number;
  readonly top: number;
}

/** Resize-then-centre-crop geometry for a width×height image and a size×size output. */
export function coverGeometry(width: number, height: number, size: number): CoverGeometry {
  for (const [name, v] of [['width', width], ['height', height], ['size', size]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_SIDE) throw new RangeError(`${name} must be an integer in 1..${MAX_SIDE}, got ${v}`);
  }
  const w = width <= height ? size : Math.max(size, Math.round((width * size) / height));
  const h = width <= height ? Math.max(size, Math.round((height * size) / width)) : size;
  return { width: w, height: h, left: Math.floor((w - size) / 2), top: Math.floor((h - size) / 2) };
}

/** Largest image side (pixels) accepted, input or output. */
export const MAX_SIDE = 65535;
/** Largest input image, in pixels (sharp's own default limit). */
const MAX_INPUT_PIXELS = 268402689;

/** Decodes `input` (the file's bytes) to a size×size×3 sRGB square; `name` is only for error messages. */
export async function decodeSquare(input: Buffer, size: number, name: string): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const opts: SharpOptions = { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS };
  try {
    const meta = await sharp(input, opts).metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw new Error('no image dimensions in the file');
    const g = coverGeometry(width, height, size);
    let pipe = sharp(input, opts).autoOrient();
    if (g.width !== width || g.height !== height) {
      pipe = pipe.resize(g.width, g.height, { fit: 'fill', kernel: 'lanczos3', fastShrinkOnLoad: false });
    }
    if (g.width !== size || g.height !== size) pipe = pipe.extract({ left: g.left, top: g.top, width: size, height: size });
    const { data, info } = await pipe.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    // One byte per value (uchar): the byte count is width·height·channels.
    if (info.width !== size || info.height !== size || (info.channels !== 3 && info.channels !== 1)
      || data.length !== size * size * info.channels) {
      throw new Error(`decoded to ${info.width}×${info.height}×${info.channels} in ${data.length} bytes, expected `
        + `${size}×${size}×3 bytes`);
    }
    if (info.channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.length);
    const rgb = new Uint8Array(size * size * 3);
    for (let i = 0; i < size * size; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i];
    return rgb;
  } catch (err) {
    throw new Error(`decoding ${name} failed: ${(err as Error).message}`);
  }
}
