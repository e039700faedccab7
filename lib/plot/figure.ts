/** Figures: one call writes `<paper>/<id>.vl.json|.svg|.png|.csv` atomically and returns the SVG for display. */
import { assertObject, writeFileAtomic } from '../core/index.js';
import { jsonSafeRows, toCsv, type Row } from './csv.js';
import { displayBundle } from './display.js';
import { outputPath } from './output.js';
import { seriesOrder } from './charts.js';
import { renderSvg, svgToPng, withDefaults, type VegaLiteSpec } from './render.js';

export interface SavedFigure {
  paper: string;
  id: string;
  files: { vegaLite: string; svg: string; png: string; csv: string };
  svg: string;
  spec: VegaLiteSpec;
  rows: number;
}

/**
 * Put the rows inline in the spec (the spec's own `data` is replaced) so the .vl.json stands alone, with the
 * series in the rows' order (charts.ts seriesOrder) and the workbook's figure style (render.ts withDefaults).
 */
export function inlineData(spec: VegaLiteSpec, rows: readonly Row[]): VegaLiteSpec {
  assertObject('spec', spec);
  const values = jsonSafeRows(rows);
  return withDefaults({ ...seriesOrder(spec, values), data: { values } });
}

export async function saveFigure(paper: string, id: string, spec: VegaLiteSpec, rows: readonly Row[]): Promise<SavedFigure> {
  if (!Array.isArray(rows) || rows.length === 0) throw new RangeError(`rows must be a non-empty array for figure ${paper}/${id}`);
  const full = inlineData(spec, rows);
  const files = {
    vegaLite: outputPath(paper, id, 'vl.json'),
    svg: outputPath(paper, id, 'svg'),
    png: outputPath(paper, id, 'png'),
    csv: outputPath(paper, id, 'csv'),
  };
  const csv = toCsv(rows); // first: refuses NaN before anything is written
  const svg = await renderSvg(full);
  const png = await svgToPng(svg);
  writeFileAtomic(files.vegaLite, JSON.stringify(full, null, 1) + '\n');
  writeFileAtomic(files.svg, svg);
  writeFileAtomic(files.png, png);
  writeFileAtomic(files.csv, csv);
  return { paper, id, files, svg, spec: full, rows: rows.length };
}

/**
 * Display a figure as one output bundle: Vega-Lite (interactive in JupyterLab), SVG (nbconvert's HTML export
 * picks it) and plain text. Accepts a saved figure or a bare spec (rendered on the fly).
 */
export async function show(figure: SavedFigure | VegaLiteSpec, rows?: readonly Row[]): Promise<void> {
  assertObject('figure', figure);
  let spec: VegaLiteSpec;
  let svg: string;
  if (isSaved(figure)) {
    spec = figure.spec;
    svg = figure.svg;
  } else {
    spec = rows ? inlineData(figure, rows) : withDefaults(figure);
    svg = await renderSvg(spec);
  }
  const title = typeof spec.title === 'string' ? spec.title : ((spec.title as { text?: string } | undefined)?.text ?? 'figure');
  displayBundle({ 'application/vnd.vegalite.v5+json': spec, 'image/svg+xml': svg, 'text/plain': `<figure: ${title}>` });
}

function isSaved(f: SavedFigure | VegaLiteSpec): f is SavedFigure {
  return typeof (f as SavedFigure).svg === 'string' && typeof (f as SavedFigure).files === 'object';
}
