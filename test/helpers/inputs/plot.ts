/** Bad-input rows for semcom-workbook/plot (see table.ts). Files are written under a temporary output root. */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { setOutputRoot } from '../../../lib/plot/index.js';
import { p, c, scratchDir, type EntryTable } from './table.js';

let root: string | null = null;
/** A temporary output root, set before any call that writes. */
const out = (): string => {
  root ??= mkdtempSync(join(scratchDir(), 'inputs-table-plot-'));
  setOutputRoot(root);
  return root;
};
const rows = () => [{ x: 1, y: 2.5, s: 'a' }, { x: 2, y: Infinity, s: 'b' }];
const ROWS: readonly unknown[] = ['12', 12, null, {}, [1, 2], [{ x: { nested: 1 } }]];
const spec = () => ({ mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
const SPEC: readonly unknown[] = ['12', 12, null, []];
const chan = () => ({ field: 'x' });
const chart = () => ({ title: 'T', x: chan(), y: { field: 'y' }, width: 200, height: 100 });
const SIDE = [NaN, Infinity, '200', -1, 0, 1e12];
const DIGITS = [NaN, Infinity, '4', 1.5, 0, 40];
const img = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 5) / 4);

export const table: EntryTable = {
  rows: {
    withDefaults: { args: () => [spec()], params: [p('spec', '0', 'object', SPEC)] },
    renderSvg: { args: () => [{ ...spec(), data: { values: rows() } }], params: [p('spec', '0', 'object', SPEC)] },
    svgToPng: {
      args: () => ['<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', 1],
      params: [p('svg', '0', 'string', [12, null, {}]), p('scale', '1', 'positive', [NaN, Infinity, '2', 0, -1, 1e12])],
    },
    inlineData: { args: () => [spec(), rows()],
      params: [p('spec', '0', 'object', SPEC), p('rows', '1', 'object', ROWS)] },
    saveFigure: {
      args: () => (out(), ['inputs', 'fig', spec(), rows()]),
      params: [p('paper', '0', 'string', [12, null, '../x']), p('id', '1', 'string', [12, null, 'a/b']),
        p('spec', '2', 'object', SPEC),
        p('rows', '3', 'object', [...ROWS, []]), p('rows', '3.0.y', 'real', [NaN])],
    },
    show: { args: () => [spec(), rows()],
      params: [p('figure', '0', 'object', SPEC), p('rows', '1', 'object', ['12', 12, {}])] },
    rowsOf: {
      args: () => [{ columns: ['a', 'b'], values: [[1, 2], [3, 4]] }],
      params: [p('frame', '0', 'object', ['12', 12, null, {}]), p('frame', '0.columns', 'object', ['12', 12])],
    },
    saveTable: {
      args: () => (out(), ['inputs', 'tab', rows(), { digits: 3, caption: 'c' }]),
      params: [p('paper', '0', 'string', [12, null, '../x']), p('frame', '2', 'object', ['12', 12, null, []]),
        p('rows', '2', 'object', [[{ x: { nested: 1 } }]]),
        p('rows', '2.0.x', 'real', [NaN]), p('options', '3', 'object', ['12', 12, null]),
          p('digits', '3.digits', 'count', DIGITS),
        p('caption', '3.caption', 'string', [12, {}])],
    },
    showTable: {
      args: () => [rows(), { digits: 3 }],
      params: [p('table', '0', 'object', ['12', 12, null]), p('options', '1', 'object', ['12', 12, null]),
        p('digits', '1.digits', 'count', DIGITS)],
    },
    toCsv: {
      args: () => [rows(), ['x', 'y']],
      params: [p('rows', '0', 'object', ROWS), p('rows', '0.1.x', 'real', [NaN]),
        p('columns', '1', 'object', ['12', 12, null, [1, 2]])],
    },
    toMarkdown: {
      args: () => [rows(), ['x', 'y'], 3],
      params: [p('rows', '0', 'object', ROWS), p('rows', '0.0.y', 'real', [NaN]),
        p('columns', '1', 'object', ['12', 12, null, [1]]), p('digits', '2', 'count', DIGITS)],
    },
    toHtmlTable: {
      args: () => [rows(), ['x', 'y'], 3, 'caption'],
      params: [p('rows', '0', 'object', ROWS), p('columns', '1', 'object', ['12', 12, null]),
        p('digits', '2', 'count', DIGITS),
        p('caption', '3', 'string', [12, {}])],
    },
    formatNumber: {
      args: () => [Math.PI, 3],
      params: [p('v', '0', 'real', [NaN, 'abc', '12', null]), p('digits', '1', 'count', DIGITS)],
    },
    columnsOf: { args: () => [rows()], params: [p('rows', '0', 'object', ['12', 12, null, {}, [1, 2]])] },
    jsonSafeRows: { args: () => [rows()], params: [p('rows', '0', 'object', ROWS), p('rows', '0.1.x', 'real', [NaN])] },
    displayBundle: {
      args: () => [{ 'text/plain': 'x' }, 'id', false],
      params: [p('data', '0', 'object', ['12', 12, null]), p('displayId', '1', 'string', [12, {}]),
        p('update', '2', 'string', ['yes', 1])],
    },
    showHtml: { args: () => ['<b>x</b>'], params: [p('html', '0', 'string')] },
    showMarkdown: { args: () => ['*x*'], params: [p('md', '0', 'string')] },
    setOutputRoot: { args: () => [out()], params: [p('dir', '0', 'string', [12, null, ''])] },
    outputPath: {
      args: () => ['zepe', 'fig1', 'png'],
      params: [p('paper', '0', 'string', [12, null, '../x']), p('id', '1', 'string', [12, null, 'a/b']),
        p('ext', '2', 'string', [12, null, '../png', ''])],
    },
    lineChart: {
      args: () => [{ ...chart(), band: { lower: 'y', upper: 'y' } }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('title', '0.title', 'string', [12, null]),
        p('x', '0.x', 'object', ['12', 12, null, {}]),
        p('y', '0.y.field', 'string', [12, null]), p('width', '0.width', 'positive', SIDE),
          p('height', '0.height', 'positive', SIDE),
        p('opacity', '0.band.opacity', 'probability', [NaN, '0.2', -0.1, 1.5])],
    },
    barChart: {
      args: () => [chart()],
      params: [p('options', '0', 'object', ['12', 12, null]), p('title', '0.title', 'string', [12, null]),
        p('x', '0.x', 'object', ['12', 12, null, {}]),
        p('width', '0.width', 'positive', SIDE), p('height', '0.height', 'positive', SIDE)],
    },
    panels: {
      args: () => ['P', [spec(), spec()], 'sub'],
      params: [p('title', '0', 'string', [12, null]), p('specs', '1', 'object', ['12', 12, null, [12]]),
        p('subtitle', '2', 'string', [12, {}])],
    },
    titleBlock: { args: () => ['T', ['a', 'b']],
      params: [p('title', '0', 'string', [12, null]), p('subtitle', '1', 'string', [12, {}, [1]])] },
    svgToPngSync: {
      args: () => ['<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', 1],
      params: [p('svg', '0', 'string', [12, null, {}]), p('scale', '1', 'positive', [NaN, Infinity, '2', 0, -1, 1e12])],
    },
    labelExpr: {
      args: () => [{ a: 'Alpha', b: "B's" }],
      params: [p('labels', '0', 'object', ['12', 12, null]), p('labels.a', '0.a', 'string', [12, null])],
    },
    seriesOrder: {
      args: () => [spec(), rows()],
      params: [p('spec', '0', 'object', SPEC), p('rows', '1', 'object', ['12', 12, null])],
    },
    setPaperOutputDir: {
      args: () => ['inputs', join(out(), 'staging')],
      params: [p('paper', '0', 'string', [12, null, '../x']), p('dir', '1', 'string', [12, ''])],
    },
    paperOutputDir: { args: () => ['zepe'], params: [p('paper', '0', 'string', [12, null, '../x'])] },
    dejaVuMetrics: { args: () => ['bold'], params: [p('style', '0', 'string', ['heavy', 12, null])] },
    parseFontMetrics: {
      skipValid: 'reads a font file (test/unit/plot-font-metrics.test.ts parses DejaVu Sans)',
      args: () => [new Uint8Array(64)], params: [p('data', '0', 'numbers', ['12', 12, null, new Uint8Array(4)])],
    },
    textWidth: {
      args: () => ['Wave', 12, { bold: true }],
      params: [p('text', '0', 'string', [12, null]), p('fontSize', '1', 'positive'),
        p('options', '2', 'object', ['12', 12, null])],
    },
    wrapLabel: {
      args: () => ['a long caption to wrap', 60, 12],
      params: [p('text', '0', 'string', [12, null]), p('max', '1', 'positive', [NaN, Infinity, '60', 0, -1, 1e12]),
        p('size', '2', 'positive', [NaN, Infinity, '12', 0, -1, 1e12])],
    },
    crc32: { args: () => [Uint8Array.from([1, 2, 3])], params: [p('bytes', '0', 'numbers', ['12', 12, null, [1, 2]])] },
    encodePng: {
      args: () => [new Uint8Array(12), 2, 2, 3],
      params: [p('pixels', '0', 'numbers', ['12', 12, null, [1, 2, 3]]),
        p('width', '1', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]),
        p('height', '2', 'count', [NaN, '2', 1.5, 0, 1e12]), p('channels', '3', 'integer', [NaN, '3', 2, 4])],
      cases: [c('too few pixels', 'pixels', () => [new Uint8Array(11), 2, 2, 3])],
    },
    renderImageGrid: {
      args: () => [{ images: [[img(4), img(4)]], width: 2, height: 2, channels: 1, scale: 1, gap: 1, background: 0.5 }],
      params: [p('options', '0', 'object', ['12', 12, null]),
        p('images', '0.images', 'object', ['12', 12, null, [], [[]]]),
        p('images[0][1]', '0.images.0.1', 'numbers', ['12', 12, null, [0.5]]),
          p('images[0][0]', '0.images.0.0.1', 'finiteElement'),
        p('width', '0.width', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]),
          p('height', '0.height', 'count', [NaN, '2', 0, 1e12]),
        p('channels', '0.channels', 'integer', [NaN, '1', 2]),
          p('scale', '0.scale', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12]),
        p('gap', '0.gap', 'count', [NaN, Infinity, '1', 1.5, -1, 1e12]),
          p('background', '0.background', 'probability')],
      cases: [c('a grid beyond the size limit', 'width',
        () => [{ images: [[img(4)]], width: 2 ** 15, height: 2 ** 15, channels: 1 }])],
    },
  },
  noNumericInput: {
    vegaTextWidth: 'vega\'s textMetrics hook: takes vega\'s scenegraph items as vega passes them and must not throw'
      + ' inside rendering (a non-numeric size counts as 0, as in vega\'s own estimate)',
    inNotebook: 'takes no arguments',
    outputRoot: 'takes no arguments',
  },
  constants: ['FONT_FAMILY', 'PNG_SIGNATURE', 'DASH_LEGEND', 'DEFAULT_CONFIG', 'FIGURE_STYLE'],
};
