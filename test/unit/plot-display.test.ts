/**
 * The display bundle's PNG fallback (issue 17, item 3): a bundle with an SVG gains an image/png of it, so that a
 * notebook Jupyter does not trust still shows its figures (the classic Notebook shows only text, PNG, JPEG and
 * LaTeX then). References: the PNG's size is the SVG's `width`/`height` attributes times PNG_SCALE (the PNG format's
 * IHDR, decoded by test/helpers/png.ts), and its pixels are those of lib/plot/render.ts's svgToPng, the renderer of
 * the saved figure files, at the same scale. The in-browser check (an untrusted notebook showing the PNG) is in
 * test/notebooks/notebook-server.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG_SCALE, svgToPngBase64, svgWidth, withPngFallback } from '../../lib/plot/display.js';
import { inlineData } from '../../lib/plot/figure.js';
import { lineChart } from '../../lib/plot/charts.js';
import { renderSvg, svgToPng } from '../../lib/plot/render.js';
import { countColour, decodePng } from '../helpers/png.js';

const VEGA_BLUE: [number, number, number] = [76, 120, 168];

test('a bundle with SVG gains a PNG of it, shown at the SVG\'s width', async () => {
  const rows = Array.from({ length: 12 }, (_, i) => ({ x: i, y: Math.sqrt(i), series: 'root' }));
  const chart = lineChart({ title: 'display test', x: { field: 'x' }, y: { field: 'y' }, color: { field: 'series' } });
  const svg = await renderSvg(inlineData(chart, rows));
  const w = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1]);
  const h = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)?.[1]);
  const vl = 'application/vnd.vegalite.v5+json';
  const sent = withPngFallback({ [vl]: { mark: 'line' }, 'image/svg+xml': svg, 'text/plain': '<figure>' });
  assert.deepEqual(Object.keys(sent.data).sort(), [vl, 'image/png', 'image/svg+xml', 'text/plain']);
  assert.deepEqual(sent.metadata, { 'image/png': { width: w } });
  const png = decodePng(Buffer.from(sent.data['image/png'] as string, 'base64'));
  assert.equal(png.width, w * PNG_SCALE);
  assert.equal(png.height, h * PNG_SCALE);
  assert.ok(countColour(png, VEGA_BLUE) > 200, 'the line is drawn');
  const reference = decodePng(await svgToPng(svg, PNG_SCALE));
  assert.ok(Buffer.from(png.data).equals(Buffer.from(reference.data)), 'the same pixels as the saved figure PNG');
});

test('bundles without SVG, or with their own PNG, are sent unchanged', () => {
  const text = { 'text/markdown': '*x*', 'text/plain': 'x' };
  assert.deepEqual(withPngFallback(text), { data: text, metadata: {} });
  const own = { 'image/svg+xml': '<svg width="4" height="4"/>', 'image/png': 'AAAA' };
  assert.equal(withPngFallback(own).data['image/png'], 'AAAA');
});

test('svgWidth and bad input', () => {
  assert.equal(svgWidth('<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="663" height="355">'), 663);
  assert.equal(svgWidth('<svg width=\'120.5px\' height="3">'), 120.5);
  assert.equal(svgWidth('<svg viewBox="0 0 10 10">'), null);
  assert.throws(() => svgToPngBase64('not svg'), TypeError);
  assert.throws(() => svgToPngBase64('<svg width="2" height="2"></svg>', 0), RangeError);
});
