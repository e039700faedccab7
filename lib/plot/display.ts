/**
 * Notebook display. tslab's public `display.raw` sends one MIME type per output; a figure needs one bundle
 * holding Vega-Lite (interactive in JupyterLab), SVG (picked by nbconvert's HTML export), PNG and plain text, so
 * the bundle goes through tslab's kernel hook directly. Outside a kernel (CLI, tests) nothing is displayed.
 *
 * Every bundle with an SVG also carries a PNG of it (base64, rendered by resvg at twice the size and shown at the
 * SVG's width): Jupyter does not show SVG, HTML or Vega-Lite outputs of a notebook that is not trusted (the classic
 * Notebook's "safe" types are text, PNG, JPEG and LaTeX), so without a PNG an untrusted notebook shows only
 * `<figure: …>`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assertObject, assertString } from '../core/index.js';
import { FONT_FAMILY } from './render.js';

export type MimeBundle = Record<string, string | Record<string, unknown>>;
export type OutputMetadata = Record<string, unknown>;

interface DisplayMessage { data: MimeBundle; metadata: OutputMetadata; transient: { display_id?: string } }

interface TslabJupyter {
  lastWriteDisplayData: ((msg: DisplayMessage, update: boolean) => void) | null;
}

interface ResvgModule {
  Resvg: new (svg: string, opts: Record<string, unknown>) => { render(): { asPng(): Uint8Array } };
}

const require = createRequire(import.meta.url);

/** The folder of Debian's fonts-dejavu-core (the same one lib/plot/render.ts gives resvg for saved PNGs). */
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
/** Device pixels per SVG pixel of the PNG fallback (sharp on high-density screens). */
export const PNG_SCALE = 2;

function kernelHook(): TslabJupyter['lastWriteDisplayData'] {
  try {
    const jupyter = require('tslab/dist/jupyter.js') as TslabJupyter;
    return jupyter.lastWriteDisplayData;
  } catch {
    return null;
  }
}

/** True when running inside a tslab kernel (a notebook). */
export function inNotebook(): boolean {
  return kernelHook() != null;
}

/** The SVG's own width in pixels (its `width` attribute), or null. */
export function svgWidth(svg: string): number | null {
  const m = /<svg\b[^>]*?\swidth\s*=\s*["']?([\d.]+)(px)?["'\s>]/i.exec(svg);
  const w = m ? Number(m[1]) : NaN;
  return Number.isFinite(w) && w > 0 ? w : null;
}

/**
 * A PNG of an SVG, synchronously (a display must be sent while its cell runs), as base64. resvg draws text with
 * DejaVu Sans, the figures' font.
 */
export function svgToPngBase64(svg: string, scale = PNG_SCALE): string {
  if (typeof svg !== 'string' || !/<svg\b/i.test(svg)) {
    throw new TypeError('svg must be an SVG document (a string holding <svg …>)');
  }
  if (!(scale > 0)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const { Resvg } = require('@resvg/resvg-js') as ResvgModule;
  const fontDirs = existsSync(FONT_DIR) ? [FONT_DIR] : [];
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: fontDirs.length === 0, fontDirs, defaultFontFamily: FONT_FAMILY },
  }).render().asPng();
  return Buffer.from(png).toString('base64');
}

/**
 * The bundle as it is sent: an `image/svg+xml` without an `image/png` gains one (see the file header), shown at the
 * SVG's width through the output metadata. Other bundles are returned as they are.
 */
export function withPngFallback(
  data: MimeBundle, metadata: OutputMetadata = {},
): { data: MimeBundle; metadata: OutputMetadata } {
  const svg = data['image/svg+xml'];
  if (typeof svg !== 'string' || 'image/png' in data) return { data, metadata };
  const width = svgWidth(svg);
  return {
    data: { ...data, 'image/png': svgToPngBase64(svg) },
    metadata: width ? { ...metadata, 'image/png': { width } } : metadata,
  };
}

/** Display a MIME bundle; with a displayId, later calls with the same id replace it in place. */
export function displayBundle(data: MimeBundle, displayId?: string, update = false): boolean {
  assertObject('data', data);
  if (displayId !== undefined) assertString('displayId', displayId);
  if (typeof update !== 'boolean') throw new TypeError(`update must be true or false, got ${String(update)}`);
  const hook = kernelHook();
  if (!hook) return false;
  const sent = withPngFallback(data);
  hook({ data: sent.data, metadata: sent.metadata, transient: displayId ? { display_id: displayId } : {} }, update);
  return true;
}

export function showHtml(html: string): boolean {
  assertString('html', html);
  return displayBundle({ 'text/html': html, 'text/plain': html.replace(/<[^>]+>/g, '') });
}

export function showMarkdown(md: string): boolean {
  assertString('md', md);
  return displayBundle({ 'text/markdown': md, 'text/plain': md });
}
