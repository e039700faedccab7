/** Minimal PNG reader for tests (8-bit grey/RGB/RGBA, non-interlaced: what Chromium, resvg and lib/plot write). */
import { inflateSync } from 'node:zlib';

export interface Image { width: number; height: number; channels: number; data: Uint8Array }

export function decodePng(buf: Uint8Array): Image {
  const b = Buffer.from(buf);
  if (b.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (off < b.length) {
    const len = b.readUInt32BE(off);
    const type = b.toString('ascii', off + 4, off + 8);
    const body = b.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8], colour = body[9], interlace = body[12];
      if (depth !== 8 || interlace !== 0 || (colour !== 0 && colour !== 2 && colour !== 6)) throw new Error(`unsupported PNG (depth ${depth}, colour ${colour})`);
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 1;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const up = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = y > 0 && x >= channels ? out[(y - 1) * stride + x - channels] : 0;
      let v = src[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += up;
      else if (filter === 3) v += (a + up) >> 1;
      else if (filter === 4) {
        const p = a + up - c, pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      out[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, data: out };
}

/** The RGB of pixel (x, y) (grey images repeat their one channel). */
export function rgbAt(img: Image, x: number, y: number): [number, number, number] {
  const o = (y * img.width + x) * img.channels;
  return img.channels === 1 ? [img.data[o], img.data[o], img.data[o]] : [img.data[o], img.data[o + 1], img.data[o + 2]];
}

/**
 * Blank bands at the left and right of an image, as fractions of its width: the runs of columns at each edge in
 * which every pixel is within `tol` (sum of |ΔR|+|ΔG|+|ΔB|) of the top-left pixel (the background).
 */
export function blankMargins(img: Image, tol = 24): { left: number; right: number } {
  const bg = rgbAt(img, 0, 0);
  const blank = (x: number): boolean => {
    for (let y = 0; y < img.height; y++) {
      const [r, g, b] = rgbAt(img, x, y);
      if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > tol) return false;
    }
    return true;
  };
  let left = 0;
  while (left < img.width && blank(left)) left++;
  let right = 0;
  while (right < img.width - left && blank(img.width - 1 - right)) right++;
  return { left: left / img.width, right: right / img.width };
}

/** Count pixels within `tol` of an RGB colour. */
export function countColour(img: Image, rgb: [number, number, number], tol = 40): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const [r, g, b] = rgbAt(img, i % img.width, Math.floor(i / img.width));
    if (Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]) <= tol) n++;
  }
  return n;
}
