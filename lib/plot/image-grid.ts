/**
 * A minimal PNG encoder (8-bit greyscale or RGB, filter 0, zlib from node:zlib) and an image-grid renderer, so a
 * notebook can show rows of images (originals beside reconstructions) and save them as a PNG figure without
 * node-canvas. Row and column labels (and a title) are drawn into the figure: the SVG holds them as text beside
 * the pixel grid, and the PNG is that SVG rendered by resvg with the workbook's font (render.ts), so both files
 * say what each row and column is.
 */
import { deflateSync } from 'node:zlib';
import { MAX_ELEMENTS, assertInRange, assertInteger, assertObject, assertOneOf, assertSize, describe,
  isNumericArray } from '../core/index.js';
import { textWidth } from './font-metrics.js';
import { FONT_FAMILY, svgToPngSync } from './render.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export const PNG_SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** Encodes 8-bit pixels (row-major, interleaved; channels 1 = grey, 3 = RGB) as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (!(pixels instanceof Uint8Array)) throw new TypeError(`pixels must be a Uint8Array, got ${describe(pixels)}`);
  assertSize('width', width, 1);
  assertSize('height', height, 1);
  assertOneOf('channels', channels, [1, 3]);
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`pixels must hold width·height·channels = ${width * height * channels} bytes, got ${pixels.length}`);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: greyscale / truecolour
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1)); // each scanline: filter byte 0 (None) + pixels
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export interface ImageGridOptions {
  /** rows × columns of images, each width·height·channels values in [0, 1] (clipped). */
  readonly images: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Integer upscaling (nearest neighbour) of every image. Default 2. */
  readonly scale?: number;
  /** Pixels between images (before scaling is not applied to it). Default 2. */
  readonly gap?: number;
  /** Gap grey level in [0, 1]. Default 1 (white). */
  readonly background?: number;
  /** One label per row, drawn left of it (e.g. 'original', a scheme's name). */
  readonly rowLabels?: readonly string[];
  /** One label per column, drawn above it (wrapped to the column's width). */
  readonly columnLabels?: readonly string[];
  /** A title line above the grid. */
  readonly title?: string;
}

export interface RenderedGrid {
  readonly png: Uint8Array;
  /** An SVG embedding the PNG as a data URI (for tslab.display.svg / HTML export). */
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** Renders a grid of grey or RGB images into one PNG (and an SVG wrapping it). */
export function renderImageGrid(o: ImageGridOptions): RenderedGrid {
  assertObject('options', o);
  const { width: w, height: h, channels: ch } = o;
  assertSize('width', w, 1);
  assertSize('height', h, 1);
  assertOneOf('channels', ch, [1, 3]);
  const scale = o.scale ?? 2;
  const gap = o.gap ?? 2;
  assertInteger('scale', scale, 1, 64);
  assertInteger('gap', gap, 0, 1000);
  if (o.background !== undefined) assertInRange('background', o.background, 0, 1);
  const grid: unknown = o.images;
  if (!Array.isArray(grid) || !grid.every((r: unknown) => Array.isArray(r))) {
    throw new TypeError('images must be an array of rows (arrays) of images');
  }
  (grid as unknown[][]).forEach((row, r) => row.forEach((img, c) => {
    if (!isNumericArray(img)) throw new TypeError(`images[${r}][${c}] must be a numeric array, got ${describe(img)}`);
    for (let i = 0; i < img.length; i++) {
      if (!Number.isFinite(img[i])) throw new RangeError(`images[${r}][${c}][${i}] must be finite, got ${img[i]}`);
    }
  }));
  const rows = o.images.length;
  if (rows === 0) throw new RangeError('images must hold at least one row');
  const cols = Math.max(...o.images.map((r) => r.length));
  if (cols === 0) throw new RangeError('images rows must hold at least one image');
  const W = cols * w * scale + (cols + 1) * gap;
  const H = rows * h * scale + (rows + 1) * gap;
  if (W * H * ch > MAX_ELEMENTS) {
    throw new RangeError(`the grid (width ${W} × height ${H}) is more than the limit of ${MAX_ELEMENTS} values`);
  }
  const bg = Math.round(255 * Math.min(1, Math.max(0, o.background ?? 1)));
  const px = new Uint8Array(W * H * ch).fill(bg);
  o.images.forEach((row, r) => {
    row.forEach((img, c) => {
      if (img.length !== w * h * ch) throw new RangeError(`images[${r}][${c}] must hold ${w * h * ch} values, got ${img.length}`);
      const x0 = gap + c * (w * scale + gap);
      const y0 = gap + r * (h * scale + gap);
      for (let y = 0; y < h * scale; y++) {
        for (let x = 0; x < w * scale; x++) {
          const src = (Math.floor(y / scale) * w + Math.floor(x / scale)) * ch;
          const dst = ((y0 + y) * W + x0 + x) * ch;
          for (let k = 0; k < ch; k++) {
            const v = img[src + k];
            px[dst + k] = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
          }
        }
      }
    });
  });
  const png = encodePng(px, W, H, ch);
  const uri = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  if (!o.rowLabels && !o.columnLabels && !o.title) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`
      + `<image width="${W}" height="${H}" style="image-rendering:pixelated" href="${uri}" xlink:href="${uri}"/></svg>`;
    return { png, svg, width: W, height: H };
  }
  return labelledGrid({ uri, W, H, rows, cols, cellW: w * scale, cellH: h * scale, gap, o });
}

/** Font size (px) of grid labels and line height of wrapped labels. */
const LABEL_SIZE = 12;
const LINE = 15;
const PAD = 6;

const escapeXml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Width of a label in px (DejaVu Sans; a conservative 0.62 em per character when the font is missing). */
const widthOf = (t: string, size = LABEL_SIZE, bold = false): number => textWidth(t, size, { bold }) ?? 0.62 * size * [...t].length;

/** Greedy word wrap of a label into lines no wider than `max` px (a word wider than `max` gets a line of its own). */
export function wrapLabel(text: string, max: number, size = LABEL_SIZE): string[] {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${describe(text)}`);
  assertInRange('max', max, 1, 1e6);
  assertInRange('size', size, 1, 1000);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && widthOf(next, size) > max) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

function labelledGrid(a: { uri: string; W: number; H: number; rows: number; cols: number; cellW: number; cellH: number; gap: number; o: ImageGridOptions }): RenderedGrid {
  const { uri, W, H, rows, cols, cellW, cellH, gap, o } = a;
  const check = (name: string, labels: readonly string[] | undefined, n: number) => {
    if (labels && (!Array.isArray(labels) || labels.length !== n || labels.some((l) => typeof l !== 'string'))) {
      throw new RangeError(`${name} must be ${n} strings (one per ${name === 'rowLabels' ? 'row' : 'column'}), got ${JSON.stringify(labels)}`);
    }
  };
  check('rowLabels', o.rowLabels, rows);
  check('columnLabels', o.columnLabels, cols);
  const left = o.rowLabels ? Math.ceil(Math.max(...o.rowLabels.map((l) => widthOf(l)))) + 2 * PAD : 0;
  const colLines = (o.columnLabels ?? []).map((l) => wrapLabel(l, cellW + gap));
  const header = o.columnLabels ? Math.max(...colLines.map((l) => l.length)) * LINE + PAD : 0;
  const titleH = o.title ? LINE + PAD + 2 : 0;
  const top = titleH + header;
  const gridRight = left + W;
  const widest = Math.max(gridRight, ...colLines.flatMap((lines, c) => lines.map((t) => left + gap + c * (cellW + gap) + cellW / 2 + widthOf(t) / 2)));
  const totalW = Math.ceil(Math.max(widest, o.title ? widthOf(o.title, 13, true) + PAD : 0) + PAD / 2);
  const totalH = top + H;
  const text = (x: number, y: number, t: string, anchor: 'start' | 'middle' | 'end', extra = '') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-family="${FONT_FAMILY}" font-size="${LABEL_SIZE}px"${extra}>${escapeXml(t)}</text>`;
  const parts: string[] = [`<rect width="${totalW}" height="${totalH}" fill="white"/>`];
  if (o.title) parts.push(`<text x="${PAD / 2}" y="${LINE}" font-family="${FONT_FAMILY}" font-size="13px" font-weight="bold">${escapeXml(o.title)}</text>`);
  colLines.forEach((lines, c) => {
    const cx = left + gap + c * (cellW + gap) + cellW / 2;
    const y0 = titleH + header - PAD / 2 - (lines.length - 1) * LINE - 3;
    lines.forEach((t, i) => parts.push(text(cx, y0 + i * LINE, t, 'middle')));
  });
  (o.rowLabels ?? []).forEach((t, r) => parts.push(text(left - PAD, top + gap + r * (cellH + gap) + cellH / 2 + LABEL_SIZE / 3, t, 'end')));
  parts.push(`<image x="${left}" y="${top}" width="${W}" height="${H}" style="image-rendering:pixelated" href="${uri}" xlink:href="${uri}"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}">${parts.join('')}</svg>`;
  return { png: svgToPngSync(svg, 1), svg, width: totalW, height: totalH };
}
