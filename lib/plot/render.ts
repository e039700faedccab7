/**
 * Headless rendering: Vega-Lite spec → SVG (vega's 'none' renderer, deterministic) → PNG (resvg).
 * vega and vega-lite 6 are ESM-only with top-level await, so they are loaded with a real dynamic
 * import() here rather than from a notebook cell (tslab turns cell imports into require()).
 *
 * Text is measured with the font that draws it (font-metrics.ts; vega's canvas-less estimate lays every label
 * out ~40 % too wide, which left a blank band right of each figure), and the workbook's figure style
 * (DEFAULT_CONFIG, FIGURE_STYLE) never truncates a legend or title. The specs are compiled by vega-lite 6 but
 * labelled and kept valid Vega-Lite v5 (checked against the v5.23 schema), so JupyterLab's built-in renderer
 * (Vega-Lite 5) draws the same spec.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assertInRange, assertObject, assertString } from '../core/index.js';
import { FONT_DIR, vegaTextWidth, type TextItem } from './font-metrics.js';
import { wrapLine } from './charts.js';

const require = createRequire(import.meta.url);

/** A Vega-Lite specification as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

interface VegaModules {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

let modules: Promise<VegaModules> | null = null;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => {
    measureTextWithFont((vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics);
    return { vega, vegaLite };
  });
  return modules;
}

interface VegaTextMetrics { width: (item: TextItem, text: unknown) => number; estimateWidth: (item: TextItem, text: unknown) => number }

/** Replace vega's width estimate by the font's advance widths (vega's documented hook, as vl-convert uses it). */
function measureTextWithFont(metrics: VegaTextMetrics): void {
  const estimate = metrics.estimateWidth;
  metrics.width = (item, text) => vegaTextWidth(item, text) ?? estimate(item, text);
}

/** Fonts shipped by Debian's fonts-dejavu-core: one fixed font keeps SVG and PNG identical across machines. */
export const FONT_FAMILY = 'DejaVu Sans';

/**
 * Version of the workbook's figure style, recorded in each results.json (provenance.figureStyle). Raise it when a
 * change makes earlier figures look different; the figure-style test then reports older committed figures as
 * stale. 1 (or absent): before 2026-12-02; 2: measured text, no truncated legends, paper series order, dash and
 * band legends, labelled image grids, step curves; 3: subtitle lines wrapped at SUBTITLE_WRAP characters (a long
 * subtitle no longer sets the figure's width).
 */
export const FIGURE_STYLE = 3;

/** Theme applied to every figure unless the spec sets its own config. */
export const DEFAULT_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 8,
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6', labelSeparation: 4 },
  // labelLimit/titleLimit 0: legends are never truncated (vega's default cuts labels at 160 px with "…").
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleLimit: 0 },
  title: { fontSize: 14, anchor: 'start', limit: 0, subtitleFontSize: 12 },
  header: { labelLimit: 0, titleLimit: 0 },
} as const;

/** Largest PNG zoom factor of svgToPng. */
const MAX_PNG_SCALE = 16;

export function withDefaults(spec: VegaLiteSpec): VegaLiteSpec {
  assertObject('spec', spec);
  const own = (spec.config as Record<string, unknown> | undefined) ?? {};
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG, ...own };
  for (const key of ['axis', 'legend', 'title', 'header', 'view'] as const) {
    if (own[key] !== undefined) config[key] = { ...DEFAULT_CONFIG[key], ...(own[key] as Record<string, unknown>) };
  }
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...spec, ...wrappedTitle(spec.title), config };
}

/** A title object's subtitle with every line wrapped (charts.ts wrapLine), whoever built the spec; else nothing. */
function wrappedTitle(title: unknown): { title?: Record<string, unknown> } {
  if (title === null || typeof title !== 'object' || Array.isArray(title)) return {};
  const t = title as Record<string, unknown>;
  const sub = t.subtitle;
  if (typeof sub !== 'string' && !Array.isArray(sub)) return {};
  const lines = (Array.isArray(sub) ? sub : [sub]).flatMap((l) => (typeof l === 'string' ? wrapLine(l) : [l]));
  return { title: { ...t, subtitle: lines.length === 1 ? lines[0] : lines } };
}

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile(withDefaults(spec) as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  return svgToPngSync(svg, scale);
}

/** svgToPng without a promise (resvg is a native CommonJS module, loaded with require). */
export function svgToPngSync(svg: string, scale = 2): Uint8Array {
  assertString('svg', svg);
  assertInRange('scale', scale, Number.MIN_VALUE, MAX_PNG_SCALE); // resvg aborts the process on a NaN zoom
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const fontDirs = existsSync(FONT_DIR) ? [FONT_DIR] : [];
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: fontDirs.length === 0, fontDirs, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
