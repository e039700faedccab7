/**
 * The figure style's checks, shared by the unit test (synthetic and committed figures) and the notebook test
 * (figures of a quick-profile run): no truncated label, no blank band over `maxMargin` of the width.
 *
 * Vega truncates a label that exceeds its limit by cutting it and appending "…" (vega-scenegraph `truncate`), so a
 * truncated label is a legend text holding "…" or any text ending in "…". A blank band is found by scanning the
 * PNG's columns from each edge (helpers/png.ts blankMargins).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankMargins, decodePng } from './png.js';

export const MAX_BLANK_MARGIN = 0.1;

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The lines of each <text> element (one per <tspan> when the text has several lines), with the element's class. */
function textLines(svg: string): { role: string; line: string }[] {
  const out: { role: string; line: string }[] = [];
  for (const g of svg.matchAll(/<g class="mark-text role-([\w-]+)"[^>]*>([\s\S]*?)<\/g>/g)) {
    for (const t of g[2].matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)) {
      const spans = [...t[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((x) => x[1]);
      for (const line of spans.length ? spans : [t[1].replace(/<[^>]+>/g, '')]) out.push({ role: g[1], line: decode(line).trim() });
    }
  }
  return out;
}

/** Texts of the SVG that were truncated: legend texts with "…", and any text line ending in "…". */
export function truncatedLabels(svg: string): string[] {
  const out = new Set<string>();
  for (const { role, line } of textLines(svg)) {
    if ((role.startsWith('legend-') && line.includes('…')) || line.endsWith('…')) out.add(line);
  }
  return [...out];
}

/** Legend labels in drawing order (top to bottom, legend by legend). */
export function legendLabels(svg: string): string[] {
  return textLines(svg).filter((t) => t.role === 'legend-label').map((t) => t.line);
}

/** Problems of one drawn figure (its SVG text and PNG bytes), each a sentence naming it. */
export function figureProblems(name: string, svg: string | null, png: Uint8Array | null, maxMargin = MAX_BLANK_MARGIN): string[] {
  const problems: string[] = [];
  if (svg !== null) {
    const cut = truncatedLabels(svg);
    if (cut.length) problems.push(`${name}: truncated label(s) ${cut.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  if (png !== null) {
    const m = blankMargins(decodePng(png));
    for (const side of ['left', 'right'] as const) {
      if (m[side] > maxMargin) problems.push(`${name}: blank ${side} margin ${(100 * m[side]).toFixed(1)} % of the width (limit ${100 * maxMargin} %)`);
    }
  }
  return problems;
}

/** Problems of every figure listed in a results.json (`figures.<id>.files`, paths relative to `root`). */
export function resultsFigureProblems(root: string, results: { figures: Record<string, { files: string[] }> }): { checked: string[]; problems: string[] } {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const [id, fig] of Object.entries(results.figures)) {
    const svgFile = fig.files.find((f) => f.endsWith('.svg'));
    const pngFile = fig.files.find((f) => f.endsWith('.png'));
    for (const f of [svgFile, pngFile]) if (f && !existsSync(join(root, f))) problems.push(`${id}: ${f} is missing`);
    const svg = svgFile && existsSync(join(root, svgFile)) ? readFileSync(join(root, svgFile), 'utf8') : null;
    const png = pngFile && existsSync(join(root, pngFile)) ? readFileSync(join(root, pngFile)) : null;
    problems.push(...figureProblems(id, svg, png));
    checked.push(id);
  }
  return { checked, problems };
}
