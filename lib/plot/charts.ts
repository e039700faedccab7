/** Small Vega-Lite builders so notebook cells stay one line per figure. Data is attached by saveFigure/show. */
import { assertInRange, assertObject, assertString } from '../core/index.js';
import type { VegaLiteSpec } from './render.js';

export interface Channel {
  field: string;
  title?: string;
  type?: 'quantitative' | 'nominal' | 'ordinal' | 'temporal';
  scale?: Record<string, unknown>;
  sort?: string[] | null;
  /** Vega-Lite axis properties (e.g. `{ values: [0, 2, 5, 10] }` for explicit ticks). */
  axis?: Record<string, unknown>;
  /** Vega-Lite legend properties of a colour/dash channel (e.g. `{ labelLimit: 320 }` for long names). */
  legend?: Record<string, unknown>;
}

export interface LineChartOptions {
  title: string;
  /** A second title line: where a figure is made at reduced scale, say so here. */
  subtitle?: string | string[];
  x: Channel;
  y: Channel;
  color?: Channel;
  strokeDash?: Channel;
  /** Draw point markers too. */
  points?: boolean;
  /** Shaded band between two fields (e.g. min/max over resamplings), coloured like the lines. */
  band?: { lower: string; upper: string; opacity?: number };
  width?: number;
  height?: number;
}

/** Largest width or height of a chart (pixels). */
const MAX_CHART_SIDE = 10_000;

/** The options every chart shares: a title, channels with field names, sizes in (0, MAX_CHART_SIDE]. */
function checkChart(o: { title: unknown; x: unknown; y: unknown; width?: unknown; height?: unknown }): void {
  assertObject('options', o);
  assertString('title', o.title);
  for (const k of ['x', 'y'] as const) {
    assertObject(k, o[k]);
    assertString(`${k}.field`, (o[k] as Channel).field);
  }
  if (o.width !== undefined) assertInRange('width', o.width, 1, MAX_CHART_SIDE);
  if (o.height !== undefined) assertInRange('height', o.height, 1, MAX_CHART_SIDE);
}

function checkSubtitle(subtitle: unknown): void {
  if (subtitle === undefined) return;
  if (Array.isArray(subtitle)) subtitle.forEach((s, i) => assertString(`subtitle[${i}]`, s));
  else assertString('subtitle', subtitle);
}

function encodeChannel(c: Channel, fallback: Channel['type']): Record<string, unknown> {
  const enc: Record<string, unknown> = { field: c.field, type: c.type ?? fallback, title: c.title ?? c.field };
  if (c.scale) enc.scale = c.scale;
  if (c.sort !== undefined) enc.sort = c.sort;
  if (c.axis) enc.axis = c.axis;
  if (c.legend) enc.legend = c.legend;
  return enc;
}

export function titleBlock(title: string, subtitle?: string | string[]): Record<string, unknown> {
  assertString('title', title);
  checkSubtitle(subtitle);
  return subtitle ? { text: title, subtitle } : { text: title };
}

export function lineChart(o: LineChartOptions): VegaLiteSpec {
  checkChart(o);
  if (o.band?.opacity !== undefined) assertInRange('opacity', o.band.opacity, 0, 1);
  const x = encodeChannel(o.x, 'quantitative');
  const y = encodeChannel(o.y, 'quantitative');
  const shared: Record<string, unknown> = { x };
  if (o.color) shared.color = encodeChannel(o.color, 'nominal');
  const line: Record<string, unknown> = {
    mark: { type: 'line', point: o.points ?? false, clip: true },
    encoding: { ...shared, y, ...(o.strokeDash ? { strokeDash: encodeChannel(o.strokeDash, 'nominal') } : {}) },
  };
  const layers: Record<string, unknown>[] = [line];
  if (o.band) {
    layers.unshift({
      mark: { type: 'area', opacity: o.band.opacity ?? 0.2, clip: true },
      encoding: { ...shared, y: { field: o.band.lower, type: 'quantitative' }, y2: { field: o.band.upper } },
    });
  }
  return {
    title: titleBlock(o.title, o.subtitle),
    width: o.width ?? 420,
    height: o.height ?? 280,
    layer: layers,
  };
}

/** Bar chart (histograms, per-block importance …). */
export function barChart(o: { title: string; subtitle?: string | string[]; x: Channel; y: Channel; color?: Channel; width?: number; height?: number }): VegaLiteSpec {
  checkChart(o);
  const encoding: Record<string, unknown> = { x: encodeChannel(o.x, 'ordinal'), y: encodeChannel(o.y, 'quantitative') };
  if (o.color) encoding.color = encodeChannel(o.color, 'nominal');
  return { title: titleBlock(o.title, o.subtitle), width: o.width ?? 420, height: o.height ?? 260, mark: 'bar', encoding };
}

/** Side-by-side panels sharing nothing: `hconcat` of specs (each keeps its own title). */
export function panels(title: string, specs: VegaLiteSpec[], subtitle?: string | string[]): VegaLiteSpec {
  if (!Array.isArray(specs)) throw new TypeError('specs must be an array of Vega-Lite specs');
  specs.forEach((s, i) => assertObject(`specs[${i}]`, s));
  return { title: titleBlock(title, subtitle), hconcat: specs.map(({ title: t, ...rest }) => ({ ...rest, title: t })) };
}
