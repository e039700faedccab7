/**
 * Headless rendering: Vega-Lite spec → SVG (vega's 'none' renderer, deterministic) → PNG (resvg).
 * vega and vega-lite 6 are ESM-only with top-level await, so they are loaded with a real dynamic
 * import() here rather than from a notebook cell (tslab turns cell imports into require()).
 */
import { existsSync } from 'node:fs';
import { assertInRange, assertObject, assertString } from '../core/index.js';

/** A Vega-Lite specification as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

interface VegaModules {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

let modules: Promise<VegaModules> | null = null;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return modules;
}

/** Fonts shipped by Debian's fonts-dejavu-core: one fixed font keeps SVG and PNG identical across machines. */
export const FONT_FAMILY = 'DejaVu Sans';
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

/** Theme applied to every figure unless the spec sets its own config. */
export const DEFAULT_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Largest PNG zoom factor of svgToPng. */
const MAX_PNG_SCALE = 16;

export function withDefaults(spec: VegaLiteSpec): VegaLiteSpec {
  assertObject('spec', spec);
  const config = { ...DEFAULT_CONFIG, ...((spec.config as Record<string, unknown> | undefined) ?? {}) };
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...spec, config };
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
  assertString('svg', svg);
  assertInRange('scale', scale, Number.MIN_VALUE, MAX_PNG_SCALE); // resvg aborts the process on a NaN zoom
  const { Resvg } = await import('@resvg/resvg-js');
  const fontDirs = existsSync(FONT_DIR) ? [FONT_DIR] : [];
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: fontDirs.length === 0, fontDirs, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
