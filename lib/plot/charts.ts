/**
 * Small Vega-Lite builders so notebook cells stay one line per figure, in the workbook's one figure style. Data is
 * attached by saveFigure/show, which also fixes the series order (seriesOrder below).
 *
 * The style: a line per series, drawn as steps where the quantity is piecewise constant (`interpolate`); point
 * markers in their own layer, so a strokeDash legend shows the dashes rather than dots; a band (interval) in the
 * series' colour drawn with fillOpacity, so the legend's symbols stay opaque (a mark opacity would fade them);
 * series in the order the paper lists them — the order of first appearance in the rows, which each
 * paper's figure code produces in the paper's order — never alphabetical. Only Vega-Lite v5 features are used.
 */
import { assertInRange, assertObject, assertString } from '../core/index.js';
import type { VegaLiteSpec } from './render.js';

export interface Channel {
  field: string;
  title?: string;
  type?: 'quantitative' | 'nominal' | 'ordinal' | 'temporal';
  scale?: Record<string, unknown>;
  /** Series order; default: the order of first appearance in the rows. `null`: Vega-Lite's own (data) order. */
  sort?: string[] | null;
  /** Vega-Lite axis properties (e.g. `{ values: [0, 2, 5, 10] }` for explicit ticks). */
  axis?: Record<string, unknown>;
  /** Vega-Lite legend properties of a colour/dash channel (labels are never truncated: config.legend.labelLimit 0). */
  legend?: Record<string, unknown> | null;
  /** Legend names of the values (data keys → names the paper uses), applied with a labelExpr. */
  labels?: Readonly<Record<string, string>>;
}

/** Vega-Lite line interpolation: 'linear', or a step for piecewise-constant quantities (histograms, K* against ε). */
export type Interpolate = 'linear' | 'step' | 'step-after' | 'step-before' | 'monotone';

export interface LineChartOptions {
  title: string;
  /** A second title line: where a figure is made at reduced scale, say so here. */
  subtitle?: string | string[];
  x: Channel;
  y: Channel;
  color?: Channel;
  strokeDash?: Channel;
  /** Marker shape per value of a field (with `points`): tells apart curves that lie on top of each other. */
  shape?: Channel;
  /** Draw point markers too. */
  points?: boolean;
  /** How the line joins its points (default linear). */
  interpolate?: Interpolate;
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

const quote = (t: string): string => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A Vega-Lite legend `labelExpr` that shows `labels[value]` for each data value (other values unchanged). */
export function labelExpr(labels: Readonly<Record<string, string>>): string {
  assertObject('labels', labels);
  for (const [k, v] of Object.entries(labels)) assertString(`labels.${k}`, v);
  return Object.entries(labels).reduceRight(
    (rest, [key, label]) => `datum.label === ${quote(key)} ? ${quote(label)} : ${rest}`, 'datum.label');
}

function encodeChannel(c: Channel, fallback: Channel['type']): Record<string, unknown> {
  const enc: Record<string, unknown> = { field: c.field, type: c.type ?? fallback, title: c.title ?? c.field };
  if (c.scale) enc.scale = c.scale;
  if (c.sort !== undefined) enc.sort = c.sort;
  if (c.axis) enc.axis = c.axis;
  if (c.legend === null) enc.legend = null;
  else if (c.legend || c.labels) {
    enc.legend = { ...(c.legend ?? {}), ...(c.labels ? { labelExpr: labelExpr(c.labels) } : {}) };
  }
  return enc;
}

/** Legend of a strokeDash channel: a line segment long enough to show the dash pattern. */
export const DASH_LEGEND = {
  symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2, symbolStrokeColor: '#444',
} as const;

/** Longest subtitle line, in characters (≈ 600 px at the 12 px subtitle font): longer lines are wrapped. */
export const SUBTITLE_WRAP = 96;

/**
 * Wraps one line at spaces so that no piece is longer than `width` characters (a single word longer than that stays
 * whole). A subtitle line wider than the chart would otherwise set the figure's width and leave a blank band beside it.
 */
export function wrapLine(line: string, width = SUBTITLE_WRAP): string[] {
  assertString('line', line);
  if (!Number.isInteger(width) || width < 10) throw new RangeError(`width must be an integer ≥ 10, got ${width}`);
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(/ +/)) {
    if (cur === '') cur = word;
    else if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
    else {
      out.push(cur);
      cur = word;
    }
  }
  out.push(cur);
  return out;
}

export function titleBlock(title: string, subtitle?: string | string[]): Record<string, unknown> {
  assertString('title', title);
  checkSubtitle(subtitle);
  if (!subtitle) return { text: title };
  const lines = (Array.isArray(subtitle) ? subtitle : [subtitle]).flatMap((l) => wrapLine(l));
  return { text: title, subtitle: lines.length === 1 ? lines[0] : lines };
}

export function lineChart(o: LineChartOptions): VegaLiteSpec {
  checkChart(o);
  if (o.band?.opacity !== undefined) assertInRange('opacity', o.band.opacity, 0, 1);
  const x = encodeChannel(o.x, 'quantitative');
  const y = encodeChannel(o.y, 'quantitative');
  // Without markers the colour legend shows line segments, as the curves are drawn.
  const colorLegend = o.points ? {} : { legend: { symbolType: 'stroke', symbolStrokeWidth: 2, ...(o.color?.legend ?? {}) } };
  const color = o.color
    ? encodeChannel(o.color.legend === null ? o.color : { ...o.color, ...colorLegend }, 'nominal')
    : undefined;
  const dash = o.strokeDash
    ? encodeChannel({ ...o.strokeDash, legend: { ...DASH_LEGEND, ...(o.strokeDash.legend ?? {}) } }, 'nominal')
    : undefined;
  const detail = o.strokeDash ? { detail: { field: o.strokeDash.field, type: 'nominal' } } : {};
  const interpolate = o.interpolate && o.interpolate !== 'linear' ? { interpolate: o.interpolate } : {};
  const layers: Record<string, unknown>[] = [{
    mark: { type: 'line', clip: true, ...interpolate },
    encoding: { x, y, ...(color ? { color } : {}), ...(dash ? { strokeDash: dash } : {}) },
  }];
  if (o.points) {
    const shape = o.shape ? { shape: encodeChannel(o.shape, 'nominal') } : {};
    layers.push({
      mark: { type: 'point', filled: !o.shape, size: 30, clip: true },
      encoding: { x, y, ...(color ? { color } : {}), ...shape },
    });
  }
  if (o.band) {
    // fillOpacity, not opacity: the band shares the lines' colour legend, and a mark opacity would fade its symbols.
    layers.unshift({
      mark: { type: 'area', fillOpacity: o.band.opacity ?? 0.2, clip: true, ...interpolate },
      encoding: {
        x, y: { field: o.band.lower, type: 'quantitative' }, y2: { field: o.band.upper }, ...(color ? { color } : {}), ...detail,
      },
    });
  }
  return {
    title: titleBlock(o.title, o.subtitle),
    width: o.width ?? 420,
    height: o.height ?? 280,
    layer: layers,
  };
}

export interface BarChartOptions {
  title: string;
  subtitle?: string | string[];
  x: Channel;
  y: Channel;
  /** One bar per value at each x, side by side (xOffset, Vega-Lite ≥ 5.2), never stacked. */
  color?: Channel;
  width?: number;
  height?: number;
}

/** Bar chart (histograms, per-block importance …). With a colour, the bars of one x stand side by side. */
export function barChart(o: BarChartOptions): VegaLiteSpec {
  checkChart(o);
  const encoding: Record<string, unknown> = { x: encodeChannel(o.x, 'ordinal'), y: encodeChannel(o.y, 'quantitative') };
  if (o.color) {
    encoding.color = encodeChannel(o.color, 'nominal');
    encoding.xOffset = { field: o.color.field, type: 'nominal' };
  }
  return { title: titleBlock(o.title, o.subtitle), width: o.width ?? 420, height: o.height ?? 260, mark: 'bar', encoding };
}

/** Side-by-side panels sharing nothing: `hconcat` of specs (each keeps its own title). */
export function panels(title: string, specs: VegaLiteSpec[], subtitle?: string | string[]): VegaLiteSpec {
  if (!Array.isArray(specs)) throw new TypeError('specs must be an array of Vega-Lite specs');
  specs.forEach((s, i) => assertObject(`specs[${i}]`, s));
  return { title: titleBlock(title, subtitle), hconcat: specs.map(({ title: t, ...rest }) => ({ ...rest, title: t })) };
}

/** Channels whose nominal values are series (legend entries). */
const SERIES_CHANNELS = ['color', 'fill', 'stroke', 'strokeDash', 'shape', 'xOffset'] as const;

/**
 * Fix the order of every series channel that does not set its own (`sort` or `scale.domain`): the domain is the
 * field's values in order of first appearance in `rows`. Vega-Lite would otherwise sort them alphabetically; an
 * explicit domain also keeps a band's `fill` and its line's `color` on the same colours. Returns a new spec.
 */
export function seriesOrder(spec: VegaLiteSpec, rows: readonly Record<string, unknown>[]): VegaLiteSpec {
  assertObject('spec', spec);
  if (!Array.isArray(rows)) throw new TypeError('rows must be an array of row objects');
  const firstSeen = new Map<string, unknown[]>();
  const valuesOf = (field: string): unknown[] => {
    let v = firstSeen.get(field);
    if (!v) {
      const seen = new Set<unknown>();
      v = [];
      for (const r of rows) {
        const x = r[field];
        if (x !== null && x !== undefined && !seen.has(x)) {
          seen.add(x);
          v.push(x);
        }
      }
      firstSeen.set(field, v);
    }
    return v;
  };
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'data') out[k] = v;
      else if (k === 'encoding' && v && typeof v === 'object') {
        out[k] = orderEncoding(v as Record<string, unknown>, valuesOf);
      }
      else out[k] = visit(v);
    }
    return out;
  };
  return visit(spec) as VegaLiteSpec;
}

function orderEncoding(enc: Record<string, unknown>, valuesOf: (field: string) => unknown[]): Record<string, unknown> {
  const out = { ...enc };
  for (const ch of SERIES_CHANNELS) {
    const c = enc[ch] as Record<string, unknown> | undefined;
    if (!c || typeof c.field !== 'string' || (c.type !== 'nominal' && c.type !== 'ordinal')) continue;
    const scale = c.scale as Record<string, unknown> | undefined;
    if ('sort' in c || scale?.domain !== undefined) continue;
    const domain = valuesOf(c.field);
    if (domain.length > 0) out[ch] = { ...c, scale: { ...(scale ?? {}), domain } };
  }
  return out;
}
