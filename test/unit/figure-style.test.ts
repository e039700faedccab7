/**
 * The workbook's one figure style (lib/plot/charts.ts, render.ts, image-grid.ts and the papers' figure code):
 * every figure is drawn and checked for truncated labels (vega appends "…" to a cut label) and for a blank band
 * over 10 % of the PNG's width (test/helpers/figure-check.ts), and the legends are checked for the series order of
 * the rows (not alphabetical), the paper's names, visible dashes; step curves are drawn as steps.
 *
 * (a) synthetic rows through every chart builder the notebooks use (the figures of a real quick-profile run are
 *     checked the same way in test/notebooks/papers.test.ts);
 * (b) every committed figure under figures/ whose results.json records a figure style ≥ the current one; older
 *     committed figures are reported by name as "stale — regenerate" (a visible skip, not a pass).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import {
  barChart, FIGURE_STYLE, inlineData, lineChart, panels, renderImageGrid, renderSvg, svgToPng, type Row, type VegaLiteSpec,
} from '../../lib/plot/index.js';
import { DIFFERENCE_METRICS, CI_METRICS, METHOD_LABELS, metricGridSpec } from '../../lib/papers/vscc/figures.js';
import { fig2aSpec, fig2eSpec, infoPlaneSpec } from '../../lib/papers/e2ec/figures.js';
import { schemeLegend, voronoiSpec } from '../../lib/papers/codebook/figures.js';
import type { ToyResult } from '../../lib/papers/codebook/toy.js';
import { figureProblems, legendLabels, resultsFigureProblems, truncatedLabels } from '../helpers/figure-check.js';
import { blankMargins, decodePng } from '../helpers/png.js';

async function draw(spec: VegaLiteSpec, rows: readonly Row[]): Promise<{ svg: string; png: Uint8Array; spec: VegaLiteSpec }> {
  const full = inlineData(spec, rows);
  const svg = await renderSvg(full);
  return { svg, png: await svgToPng(svg), spec: full };
}

const LONG = ['Proposed (entropy + channel-aware), the paper\'s scheme', 'VQ-VAE + channel-aware', 'HEVC-intra + LDPC (1/2) at 192 bits'];

test('figure checks catch what they are for: a truncated legend and a blank right band (the checker is not vacuous)', async () => {
  const rows = LONG.flatMap((s, i) => [0, 1, 2].map((x) => ({ s, x, y: x + i })));
  // The old style: legend labels limited to 100 px, a fixed width far wider than the chart.
  const old = { ...lineChart({ title: 't', x: { field: 'x' }, y: { field: 'y' }, color: { field: 's', legend: { labelLimit: 100 } } }) };
  const { svg } = await draw(old, rows);
  assert.ok(truncatedLabels(svg).length >= 2, `truncated labels found: ${JSON.stringify(truncatedLabels(svg))}`);
  const padded = svg.replace(/<svg([^>]*) width="(\d+(?:\.\d+)?)"([^>]*) viewBox="0 0 (\d+(?:\.\d+)?) /, (_m, a, w, b, vw) =>
    `<svg${a} width="${1.5 * Number(w)}"${b} viewBox="0 0 ${1.5 * Number(vw)} `);
  const m = blankMargins(decodePng(await svgToPng(padded)));
  assert.ok(m.right > 0.3, `a third of blank width is found (${m.right})`);
  assert.equal(figureProblems('padded', padded, await svgToPng(padded)).length, 2);
});

test('line charts: long legends whole, no blank band, series in the rows\' order, bands keep opaque legend symbols', async () => {
  const rows = LONG.flatMap((s, i) => [0, 5, 10, 20].map((x) => ({ s, x, y: 10 + x / (i + 1), lo: 9 + x / (i + 1), hi: 11 + x / (i + 1) })));
  const { svg, png } = await draw(lineChart({
    title: 'A figure whose subtitle is longer than its plot', subtitle: ['bands: 95 % bootstrap intervals of the mean over n = 1173 test patches (draw-averaged)'],
    x: { field: 'x', title: 'SNR (dB)' }, y: { field: 'y', title: 'PSNR (dB)' }, color: { field: 's', title: '' }, points: true, band: { lower: 'lo', upper: 'hi' },
  }), rows);
  assert.deepEqual(figureProblems('line', svg, png), []);
  assert.deepEqual(legendLabels(svg), LONG, 'legend = the rows\' order (alphabetical would put HEVC first)');
  const symbols = [...svg.matchAll(/role-legend-symbol[^>]*><path[^>]*opacity="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(symbols.length, 3);
  assert.ok(symbols.every((o) => o >= 0.7), `legend symbols not faded by the band (opacities ${symbols})`);
});

test('a strokeDash legend shows the dash patterns (not identical dots); step curves are drawn as steps', async () => {
  const rows = ['proposed', 'vqvae'].flatMap((scheme) => ['uncoded (64 symbols)', 'LDPC 1/2 (128 symbols)'].flatMap((path, j) =>
    [0, 10, 20].map((snr) => ({ scheme, path, snr, psnr: 12 + snr / 3 + j }))));
  const { svg, png } = await draw(lineChart({
    title: 'uncoded and coded', x: { field: 'snr' }, y: { field: 'psnr' }, color: { field: 'scheme', title: '' }, strokeDash: { field: 'path', title: '' }, points: true,
  }), rows);
  assert.deepEqual(figureProblems('dash', svg, png), []);
  const dashSymbols = [...svg.matchAll(/role-legend-symbol[^>]*><path[^>]*d="M-?[\d.]+,0L[\d.]+,0"[^>]*stroke-dasharray="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(dashSymbols.length, 2, 'two line-segment symbols in the dash legend');
  assert.notEqual(dashSymbols[0], dashSymbols[1], `distinct dash patterns (${dashSymbols})`);
  assert.ok(dashSymbols.some((d) => d !== '1,0'), 'one of them dashed');

  const steps = rows.filter((r) => r.path.startsWith('uncoded'));
  const drawn = await draw(lineChart({ title: 'K*', x: { field: 'snr' }, y: { field: 'psnr' }, color: { field: 'scheme' }, interpolate: 'step-after' }), steps);
  const path = /class="mark-line role-mark[^"]*"[^>]*><path[^>]*d="([^"]+)"/.exec(drawn.svg)?.[1] ?? '';
  // A step-after path alternates horizontal and vertical segments: every 'L' changes exactly one coordinate.
  const pts = [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.ok(pts.length >= 4, `a path with its points (${path})`);
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i][0] === pts[i - 1][0] || pts[i][1] === pts[i - 1][1], `segment ${i} is horizontal or vertical`);
});

test('bar charts and panels: no truncation, no blank band', async () => {
  const bars = [0, 10, 20].flatMap((snr) => [0, 1, 2, 3].map((w) => ({ snr: `${snr} dB (ε = ${(0.1 / (snr + 1)).toFixed(3)})`, w, probability: 1 / (w + 1) })));
  const b = await draw(barChart({ title: 'Eq. (15): error weight of a 6-bit index over BSC(ε)', x: { field: 'w' }, y: { field: 'probability' }, color: { field: 'snr', title: 'SNR' } }), bars);
  assert.deepEqual(figureProblems('bars', b.svg, b.png), []);
  const hist = LONG.flatMap((scheme) => [0, 100, 200].map((step) => ({ scheme, step, recon: 0.1 / (step + 1), batchPerplexity: 10 + step / 20 })));
  const p = await draw(panels('Training of the four schemes', [
    lineChart({ title: 'reconstruction', x: { field: 'step' }, y: { field: 'recon', scale: { type: 'log' } }, color: { field: 'scheme', title: '' }, width: 260, height: 200 }),
    lineChart({ title: 'perplexity', x: { field: 'step' }, y: { field: 'batchPerplexity' }, color: { field: 'scheme', title: '' }, width: 260, height: 200 }),
  ], 'subtitle'), hist);
  assert.deepEqual(figureProblems('panels', p.svg, p.png), []);
});

test('VSCC metric grid: PSNR and SSIM in separate panels, the paper\'s method names, dashes in the legend', async () => {
  const rows = (['vscc', 'vae', 'ae'] as const).flatMap((method) => [-5, 15].flatMap((t) => [-5, 5, 15].map((s) => ({
    method, kind: method === 'ae' ? 'separate (ideal)' : 'JSCC (trained at this SNR)', train_snr_db: t, test_snr_db: s,
    psnr_mean: 20 + s / 5, psnr_lo: 19 + s / 5, psnr_hi: 21 + s / 5, ssim_mean: 0.5 + s / 50, ssim_lo: 0.45 + s / 50, ssim_hi: 0.55 + s / 50,
  }))));
  const spec = metricGridSpec({ title: 'Fig. 9: VSCC vs VAE vs AE', subtitle: ['a', 'b'], color: 'method', colorTitle: 'method', metrics: CI_METRICS, colorLabels: METHOD_LABELS, dash: 'kind' });
  const { svg, png } = await draw(spec, rows);
  assert.deepEqual(figureProblems('fig9', svg, png), []);
  assert.deepEqual(legendLabels(svg).slice(0, 3), ['VSCC', 'VAE', 'AE'], 'the paper\'s names in its order');
  const yTitles = [...svg.matchAll(/role-axis-title[^>]*><text[^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.ok(yTitles.includes('PSNR (dB)') && yTitles.includes('SSIM'), `separate axes for PSNR and SSIM (${yTitles})`);
  const diffs = rows.map((r) => ({ comparison: r.method === 'vscc' ? 'VSCC − VAE' : 'AE − VSCC', train_snr_db: r.train_snr_db, test_snr_db: r.test_snr_db, psnr_diff: r.psnr_mean - 20, psnr_lo: -1, psnr_hi: 1, ssim_diff: 0.01, ssim_lo: 0, ssim_hi: 0.02 }));
  const d = await draw(metricGridSpec({ title: 'differences', subtitle: ['x'], color: 'comparison', colorTitle: 'difference', metrics: DIFFERENCE_METRICS }), diffs);
  assert.deepEqual(figureProblems('fig9_differences', d.svg, d.png), []);
});

test('E2EC and codebook specs: Fig. 2(a), 2(e), information plane, Voronoi, scheme legend', async () => {
  const methods = ['E2EC', 'E2EC (Table I model, 4500 steps)', 'd2-JSCC', 'RDBO'];
  const f2a = methods.flatMap((method, i) => [8, 16, 32].map((r) => ({ method, param: 'p', rate_bits: r + i, rate_lo: r + i - 1, rate_hi: r + i + 1, accuracy: 0.9 - i / 50, accuracy_lo: 0.88 - i / 50, accuracy_hi: 0.92 - i / 50, ce: 0.3, n: 300 })));
  const a = await draw(fig2aSpec('Fig. 2(a): rate vs semantic accuracy, BSC ε = 0.1', ['300 test digits; bars: exact 95 % interval', 'E2EC: 20 steps']), f2a);
  assert.deepEqual(figureProblems('fig2a', a.svg, a.png), []);
  assert.deepEqual(legendLabels(a.svg), methods, 'E2EC first, then the baselines');
  const e = await draw(fig2eSpec('Fig. 2(e)', 'sub'), [0, 1, 2, 3].map((block) => ({ block, accuracyDrop: 0.1 * block, drop_lo: 0, drop_hi: 0.2 * block })));
  assert.deepEqual(figureProblems('fig2e', e.svg, e.png), []);
  const traj = ['λ = 1e-06', 'λ = 0.05'].flatMap((lambda) => [0, 5, 10].map((step) => ({ lambda, step, rate: 10 + step, distortion: 1 / (step + 1) })));
  const ip = await draw(infoPlaneSpec('Fig. 2(b)', 'sub'), traj);
  assert.deepEqual(figureProblems('fig2b', ip.svg, ip.png), []);
  const grid = 4;
  const toy = (lambdaH: number): ToyResult => ({
    lambdaH, codebook: [0, 0, 1, 1, -1, 1, 1, -1], counts: [5, 0, 3, 2], perplexity: 2.9, dead: 1, dq: 0.1,
    cells: Array.from({ length: grid * grid }, (_, i) => i % 4), extent: { x0: -2, x1: 2, y0: -2, y1: 2 }, sample: [0.1, 0.2, -0.5, 0.5],
  });
  const vor = voronoiSpec([toy(0), toy(0.1)], grid, 'Fig. 2 (toy): Voronoi cells', 'left: codebook loss only; right: + index entropy');
  const v = await draw(vor.spec, vor.rows);
  assert.deepEqual(figureProblems('fig2_voronoi', v.svg, v.png), []);
  const curves = ['proposed', 'vqvae', 'jpeg_ldpc', 'hevc_ldpc'].flatMap((scheme) => [0, 10].map((snr_db) => ({ scheme, snr_db, psnr: 20 + snr_db / 10 })));
  const s = await draw(lineChart({ title: 'Fig. 4', x: { field: 'snr_db' }, y: { field: 'psnr' }, color: { field: 'scheme', title: '', legend: schemeLegend() }, points: true }), curves);
  assert.deepEqual(figureProblems('fig4', s.svg, s.png), []);
  assert.deepEqual(legendLabels(s.svg), ['Proposed (entropy + channel-aware)', 'VQ-VAE (plain)', 'JPEG + LDPC (1/2)', 'HEVC-intra + LDPC (1/2)']);
});

test('image grids carry their row and column labels in the SVG and in the PNG, without a blank band', () => {
  const img = (v: number) => new Float32Array(28 * 28).fill(v);
  const rowLabels = ['z = 3', 'z = 7'];
  const columnLabels = ['x', 'x̂ (d = 0)', 'x̃, d = 2', 'x̃, d = 200 (the widest column label of the grid)'];
  const g = renderImageGrid({ images: rowLabels.map((_, r) => columnLabels.map((_, c) => img((r + c) / 8))), width: 28, height: 28, channels: 1, scale: 3, rowLabels, columnLabels });
  for (const l of [...rowLabels, 'x̃, d = 2']) assert.ok(g.svg.includes(`>${l}<`), `SVG holds the label ${l}`);
  const png = decodePng(g.png);
  assert.equal(png.width, g.width);
  // Labels are drawn: dark pixels left of the first image column and above the first image row.
  const dark = (x0: number, x1: number, y0: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (png.data[(y * png.width + x) * png.channels] < 100) n++;
    return n;
  };
  const left = g.width - (4 * 84 + 5 * 2);
  assert.ok(left > 20, `room for the row labels (${left} px)`);
  const top = g.height - (2 * 84 + 3 * 2);
  assert.ok(dark(0, left - 2, top, g.height) > 20, 'row labels drawn in the PNG');
  assert.ok(dark(left, g.width, 0, top) > 20, 'column labels drawn in the PNG');
  assert.deepEqual(figureProblems('grid', g.svg, g.png), []);
  assert.throws(() => renderImageGrid({ images: [[img(0)]], width: 28, height: 28, channels: 1, rowLabels: ['a', 'b'] }), /rowLabels must be 1 strings/);
});

const figuresRoot = join(projectRoot(), 'figures');
const papers = existsSync(figuresRoot) ? readdirSync(figuresRoot).filter((p) => existsSync(join(figuresRoot, p, 'results.json'))).sort() : [];

for (const paper of papers) {
  const results = JSON.parse(readFileSync(join(figuresRoot, paper, 'results.json'), 'utf8')) as {
    provenance: { figureStyle?: number; commit: string | null }; figures: Record<string, { files: string[] }>;
  };
  const style = results.provenance.figureStyle ?? 1;
  const names = Object.keys(results.figures);
  const stale = style < FIGURE_STYLE
    ? `stale — regenerate (\`npx workbook run ${paper} --profile full\`): figures/${paper} drawn in figure style ${style} < ${FIGURE_STYLE}: ${names.join(', ')}`
    : false;
  test(`committed figures/${paper}: no truncated label, no blank band over 10 %`, { skip: stale }, () => {
    const { checked, problems } = resultsFigureProblems(figuresRoot, results);
    assert.equal(checked.length, names.length);
    assert.deepEqual(problems, []);
  });
}
