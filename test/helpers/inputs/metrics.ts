/** Bad-input rows for semcom-workbook/metrics (see table.ts). */
import { Rng } from '../../../lib/core/index.js';
import { frechetReference, SANITY_DEGRADATIONS } from '../../../lib/metrics/index.js';
import { p, c, type EntryTable, type Param } from './table.js';

const img = (n = 11 * 11, v = 0.5): Float32Array => Float32Array.from({ length: n },
  (_, i) => (v + 0.01 * (i % 7)) % 1);
const PIX: readonly unknown[] = ['12', 12, null, {}];
const pixels = (name: string, at: string): Param[] => [p(name, at, 'numbers', PIX),
  p(name, `${at}.3`, 'finiteElement')];
const shape = (at: string): Param[] => [
  p('options', at, 'object', ['12', 12, null]),
    p('width', `${at}.width`, 'count', [NaN, Infinity, '11', 1.5, 0, -1, 1e12]),
  p('height', `${at}.height`, 'count', [NaN, '11', 1.5, 0, 1e12]),
    p('channels', `${at}.channels`, 'count', [NaN, '1', 1.5, 0, 1e12]),
];
const rows = (N: number, n: number): Float64Array => Float64Array.from({ length: N * n },
  (_, i) => Math.sin(i * 1.7) + (i % n));
const ref = () => frechetReference(rows(8, 2), 2);
const sym = () => ({ data: new Float64Array([1, 0.2, 0.2, 1]), n: 2 });
const vals = (): number[] => [1, 2, 3, 4, 5];
const boot = (at: string): Param[] => [
  p('options', at, 'object', ['12', 12, null]),
    p('resamples', `${at}.resamples`, 'count', [NaN, Infinity, '200', 150.5, 10, 1e12]),
  p('seed', `${at}.seed`, 'integer', [NaN, '1', 1.5, -1, 2 ** 32]),
    p('level', `${at}.level`, 'probability', [NaN, '0.9', 0.2, 1, 1.5]),
];
const fboot = (at: string): Param[] => [
  p('options', at, 'object', ['12', 12, null]),
    p('resamples', `${at}.resamples`, 'count', [NaN, Infinity, '50', 25.5, 10, 1e12]),
  p('seed', `${at}.seed`, 'integer', [NaN, '1', 1.5, -1, 2 ** 32]),
];
/** A hand-made ladder of two 2×2 RGB images (what buildDegradationLadder returns, without running cjpeg). */
const ladder = () => ({
  shape: { n: 2, width: 2, height: 2, channels: 3 }, reference: img(24),
  degraded: new Map(SANITY_DEGRADATIONS.map((d, k) => [d.id, img(24, 0.05 * k)])),
});
const measure = () => ({ name: 'm', direction: 'higher-is-better', score: () => [0.1, 0.2] });
const dim = (at: string): Param => p('n', at, 'count', [NaN, Infinity, '2', 1.5, 0, -1, 1e12]);

export const table: EntryTable = {
  rows: {
    mse: { args: () => [img(4), img(4, 0.2)], params: [...pixels('a', '0'), ...pixels('b', '1')],
      cases: [c('different lengths', 'a', () => [img(4), img(5)])] },
    psnr: {
      args: () => [img(4), img(4, 0.2), { maxValue: 1 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), p('options', '2', 'object', ['12', 12, null]),
        p('maxValue', '2.maxValue', 'positive')],
      cases: [c('empty images', 'a', () => [new Float32Array(0), new Float32Array(0)])],
    },
    ssim: {
      args: () => [img(), img(121, 0.3), { width: 11, height: 11 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2'), p('maxValue', '2.maxValue', 'positive')],
      cases: [c('a shape that does not match the length', 'image length',
        () => [img(), img(), { width: 12, height: 11 }]),
        c('smaller than the window', 'image', () => [img(100), img(100), { width: 10, height: 10 }])],
    },
    msSsim: {
      args: () => [img(22 * 22), img(22 * 22, 0.3), { width: 22, height: 22, scales: 2 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2'),
        p('scales', '2.scales', 'count', [NaN, '2', 1.5, 0, 6, 1e12])],
      cases: [c('more scales than the image allows', 'scales',
        () => [img(), img(), { width: 11, height: 11, scales: 2 }])],
    },
    msSsimDetailed: {
      args: () => [img(22 * 22), img(22 * 22, 0.3), { width: 22, height: 22, scales: 2 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2'),
        p('scales', '2.scales', 'count', [NaN, '2', 1.5, 0, 6, 1e12])],
      cases: [c('more scales than the image allows', 'scales',
        () => [img(), img(), { width: 11, height: 11, scales: 2 }])],
    },
    buildDegradationLadder: {
      args: () => [img(2 * 8 * 8 * 3), { n: 2, width: 8, height: 8, rng: new Rng(1) }],
      params: [p('images', '0', 'numbers', PIX), p('images', '0.3', 'finiteElement'),
        p('images', '0.5', 'real', [1.5, -0.5]), p('options', '1', 'object', ['12', 12, null]),
        p('n', '1.n', 'count', [NaN, Infinity, '2', 1.5, 0, -1, 1e12]),
        p('width', '1.width', 'count', [NaN, Infinity, '8', 1.5, 0, -1, 1e12]),
        p('height', '1.height', 'count', [NaN, '8', 1.5, 0, 1e12]),
        p('channels', '1.channels', 'integer', [NaN, 1, '3', 4]), p('rng', '1.rng', 'rng')],
      cases: [c('n that does not match the length', 'image length',
        () => [img(2 * 8 * 8 * 3), { n: 3, width: 8, height: 8, rng: new Rng(1) }])],
    },
    checkMeasureOnLadder: {
      args: () => [ladder(), measure(), { rng: new Rng(1), resamples: 100 }],
      params: [p('ladder', '0', 'object', ['12', 12, null, {}]),
        p('ladder.degraded', '0.degraded', 'object', [new Map()]),
        p('measure', '1', 'object', ['12', 12, null]), p('measure.name', '1.name', 'string'),
        p('measure.direction', '1.direction', 'string', [12, null, 'lower']),
        p('measure.score', '1.score', 'function'), p('options', '2', 'object', ['12', 12, null]),
        p('rng', '2.rng', 'rng'), p('resamples', '2.resamples', 'count', [NaN, Infinity, '200', 150.5, 10, 1e12])],
      cases: [c('a score of the wrong length', 'measure.score',
        () => [ladder(), { ...measure(), score: () => [1] }, { rng: new Rng(1) }]),
        c('a non-finite score', 'measure.score',
          () => [ladder(), { ...measure(), score: () => [1, NaN] }, { rng: new Rng(1) }])],
    },
    maxMsSsimScales: {
      args: () => [64, 64],
        params: [p('width', '0', 'count', [NaN, Infinity, '64', 1.5, 0, -1, 1e12]),
        p('height', '1', 'count', [NaN, '64', 1.5, 0, 1e12])],
    },
    accuracy: {
      args: () => [[1, 2, 3], [1, 2, 4], { method: 'wilson' }],
      params: [p('pred', '0', 'numbers', ['12', 12, null, {}]), p('pred', '0.1', 'real', [NaN, Infinity, '2']),
        p('labels', '1', 'numbers', ['12', 12, null]), p('labels', '1.0', 'real', [NaN, '1']),
          p('method', '2.method', 'string', ['exact', 12])],
      cases: [c('different lengths', 'pred', () => [[1, 2], [1]]), c('empty', 'pred', () => [[], []])],
    },
    accuracyWithInterval: {
      args: () => [8, 10],
      params: [p('correct', '0', 'count', [NaN, Infinity, '8', 1.5, -1, 11]),
        p('n', '1', 'count', [NaN, Infinity, '10', 1.5, 0, -1, 2 ** 60])],
    },
    psnrBatch: {
      args: () => [img(8), img(8, 0.2), { n: 2, width: 2, height: 2 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2'),
        p('n', '2.n', 'count', [NaN, '2', 1.5, 0, 1e12]),
        p('maxValue', '2.maxValue', 'positive')],
      cases: [c('n that does not match the length', 'image length',
        () => [img(8), img(8), { n: 3, width: 2, height: 2 }])],
    },
    ssimBatch: {
      args: () => [img(242), img(242, 0.3), { n: 2, width: 11, height: 11 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2'),
        p('n', '2.n', 'count', [NaN, '2', 1.5, 0, 1e12])],
    },
    mean: {
      args: () => [[1, 2, Infinity]],
      params: [p('values', '0', 'numbers', ['12', 12, null, {}, []]), p('values', '0.1', 'real', [NaN, '2', null])],
      cases: [c('both infinities', 'values', () => [[Infinity, -Infinity]])],
    },
    perceptualDistance: {
      skipValid: 'loads the MobileNetV2 model (test/unit/metrics-perceptual.test.ts runs it)',
      args: () => [img(8 * 8 * 3), img(8 * 8 * 3, 0.2), { width: 8, height: 8, channels: 3 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), ...shape('2').filter((q) => q.name !== 'channels'),
        p('channels', '2.channels', 'integer', [NaN, 1, '3']), p('a', '0.0', 'real', [1.5, -0.5])],
    },
    perceptualDistanceBatch: {
      skipValid: 'loads the MobileNetV2 model (test/unit/metrics-perceptual.test.ts runs it)',
      args: () => [img(2 * 8 * 8 * 3), img(2 * 8 * 8 * 3, 0.2), { n: 2, width: 8, height: 8, channels: 3 }],
      params: [...pixels('a', '0'), ...pixels('b', '1'), p('n', '2.n', 'count', [NaN, '2', 1.5, 0, 1e12]),
        p('width', '2.width', 'count', [NaN, 0, 1e12]), p('options', '2', 'object', ['12', 12, null])],
    },
    fitSaturating: {
      args: () => [[1, 2, 3, 4], [0.5, 0.7, 0.77, 0.8], { cMin: 0.1, cMax: 2 }],
      params: [p('x', '0', 'numbers', ['12', 12, null, [1, 2]]), p('x', '0.1', 'real'), p('y', '1', 'numbers', ['12', 12, null, [1, 2]]),
        p('y', '1.2', 'real'), p('options', '2', 'object', ['12', 12, null]), p('cMin', '2.cMin', 'positive'), p('cMax', '2.cMax', 'positive')],
      cases: [c('different lengths', 'same length', () => [[1, 2, 3], [1, 2, 3, 4]]), c('x = 0', 'x[0]', () => [[0, 1, 2], [1, 2, 3]]),
        c('one distinct x', 'distinct', () => [[2, 2, 2], [1, 2, 3]]), c('cMax below cMin', 'cMax', () => [[1, 2, 3], [1, 2, 3], { cMin: 2, cMax: 1 }])],
    },
    olsSlope: {
      args: () => [[1, 2, 3], [2, 4, 6]],
      params: [p('x', '0', 'numbers', ['12', 12, null, [1]]), p('x', '0.1', 'real'), p('y', '1', 'numbers', ['12', 12, null, [1]]), p('y', '1.2', 'real')],
      cases: [c('different lengths', 'same length', () => [[1, 2], [1, 2, 3]]), c('one distinct x', 'distinct', () => [[2, 2], [1, 2]])],
    },
    bootstrapMean: {
      args: () => [vals(), { resamples: 100 }],
      params: [p('values', '0', 'numbers', ['12', 12, null, [1]]), p('values', '0.2', 'real'), ...boot('1')],
    },
    pairedBootstrap: {
      args: () => [vals(), [2, 2, 3, 3, 4], { resamples: 100, statistic: 'relative-gain' }],
      params: [p('a', '0', 'numbers', ['12', 12, null, [1]]), p('a', '0.0', 'real'),
        p('b', '1', 'numbers', ['12', 12, null]),
        p('b', '1.4', 'real'), ...boot('2'), p('statistic', '2.statistic', 'string', ['ratio', 12])],
      cases: [c('different lengths', 'a and b', () => [vals(), [1, 2], {}])],
    },
    quantileSorted: {
      args: () => [[1, 2, 3], 0.5],
      params: [p('sorted', '0', 'numbers', ['12', 12, null, []]), p('sorted', '0.1', 'real', [NaN, '2', 0]),
        p('q', '1', 'probability')],
    },
    logGamma: { args: () => [3.5], params: [p('x', '0', 'positive')] },
    binomialCdf: {
      args: () => [3, 10, 0.4],
      params: [p('k', '0', 'integer', [NaN, Infinity, '3', 1.5, -2, 11]),
        p('n', '1', 'count', [NaN, Infinity, '10', 1.5, -1, 1e12]),
        p('p', '2', 'probability')],
    },
    exactBinomialInterval: {
      args: () => [3, 10, 0.9],
      params: [p('k', '0', 'integer', [NaN, Infinity, '3', 1.5, -1, 11]),
        p('n', '1', 'count', [NaN, Infinity, '10', 1.5, 0, 1e12]),
        p('level', '2', 'probability', [NaN, '0.9', 0.1, 1, 1.5])],
    },
    estimateFromHalfWidth: {
      args: () => [0.5, 0.1, 10, 'normal'],
      params: [p('value', '0', 'real'), p('halfWidth', '1', 'nonNegative'),
        p('n', '2', 'integer', [NaN, Infinity, '10', 1.5, 0, -1]),
        p('method', '3', 'string', [12, null, ''])],
    },
    gaussianFit: {
      args: () => [rows(4, 2), 2],
      params: [p('rows', '0', 'numbers', PIX), p('rows', '0.3', 'finiteElement'), dim('1')],
      cases: [c('one row', 'rows', () => [rows(1, 2), 2]), c('ragged rows', 'rows', () => [rows(1, 3), 2])],
    },
    frechetDistance: {
      args: () => [new Float64Array([0, 1]), sym(), new Float64Array([1, 1]), sym()],
      params: [p('m1', '0', 'numbers', PIX), p('m1', '0.1', 'finiteElement'), p('c1', '1', 'object', ['12', 12, null]),
        p('c1.data', '1.data.3', 'finiteElement'), p('c1.n', '1.n', 'integer', [NaN, 3, '2']),
          p('m2', '2', 'numbers', PIX),
        p('m2', '2.0', 'finiteElement'), p('c2', '3', 'object', ['12', null]),
          p('c2.data', '3.data.0', 'finiteElement')],
      cases: [c('means of different dimensions', 'm2', () => [new Float64Array(2), sym(), new Float64Array(3), sym()]),
        c('a covariance of the wrong size', 'c1.data',
          () => [new Float64Array(2), { data: new Float64Array(3), n: 2 }, new Float64Array(2), sym()])],
    },
    frechetReference: {
      args: () => [rows(4, 2), 2],
      params: [p('rows', '0', 'numbers', PIX), p('rows', '0.1', 'finiteElement'), dim('1')],
    },
    frechetToReference: {
      args: () => [rows(4, 2), 2, ref()],
      params: [p('rows', '0', 'numbers', PIX), p('rows', '0.0', 'finiteElement'), dim('1'),
        p('ref', '2', 'object', ['12', 12, null, {}]),
        p('ref.mean', '2.mean.0', 'finiteElement'),
          p('ref.root', '2.root', 'object', [null, { data: new Float64Array(4), n: 3 }])],
      cases: [c('a reference of another dimension', 'ref.mean', () => [rows(6, 3), 3, ref()])],
    },
    frechetBootstrap: {
      args: () => [rows(6, 2), 2, ref(), { resamples: 20 }],
      params: [p('rows', '0', 'numbers', PIX), p('rows', '0.5', 'finiteElement'), dim('1'),
        p('ref', '2', 'object', ['12', null, {}]), ...fboot('3')],
    },
    powerLawFit: {
      args: () => [[1, 2, 4], [8, 4, 2]],
      params: [p('x', '0', 'numbers'), p('y', '1', 'numbers'), p('x[1]', '0.1', 'positive'), p('y[2]', '1.2', 'positive')],
      cases: [c('different lengths', 'same length', () => [[1, 2, 4], [8, 4]]), c('one point', 'at least 2', () => [[1], [1]]),
        c('x all equal', 'distinct', () => [[2, 2], [1, 3]])],
    },
    powerLawXAt: {
      args: () => [{ scale: 8, exponent: -1, n: 3 }, 1],
      params: [p('fit', '0', 'object', ['12', 12, null]), p('fit.scale', '0.scale', 'positive'), p('fit.exponent', '0.exponent', 'real'),
        p('target', '1', 'positive')],
    },
    pairedFrechetBootstrap: {
      args: () => [rows(6, 2), rows(6, 2).map((v) => v * 1.1), 2, ref(), { resamples: 20 }],
      params: [p('a', '0', 'numbers', PIX), p('a', '0.5', 'finiteElement'), p('b', '1', 'numbers', PIX),
        p('b', '1.0', 'finiteElement'),
        dim('2'), p('ref', '3', 'object', ['12', null, {}]), ...fboot('4'), p('weightB', '4.weightB', 'real')],
      cases: [c('different numbers of rows', 'a and b', () => [rows(6, 2), rows(4, 2), 2, ref(), { resamples: 20 }])],
    },
    pixelStatsDistance: {
      args: () => [rows(4, 3), rows(5, 3), 3],
      params: [p('a', '0', 'numbers', PIX), p('a', '0.0', 'finiteElement'), p('b', '1', 'numbers', PIX),
        p('b', '1.2', 'finiteElement'),
        p('n', '2', 'count', [NaN, Infinity, '3', 1.5, 0, 1e12])],
    },
  },
  noNumericInput: {
    gaussianWindow1d: 'takes no arguments (the fixed 11-tap SSIM window)',
    perceptualModelInfo: 'takes no arguments (describes the loaded model)',
    releasePerceptualModel: 'takes no arguments (frees the model)',
  },
  constants: ['MS_SSIM_WEIGHTS', 'SANITY_DEGRADATIONS', 'SANITY_CONSTRAINTS', 'SANITY_BLUR_SIGMAS',
    'SANITY_NOISE_SIGMAS', 'SANITY_JPEG_QUALITIES', 'MAX_LADDER_IMAGES', 'PSNR_MEASURE', 'SSIM_MEASURE',
    'MS_SSIM_MEASURE', 'PERCEPTUAL_MEASURE', 'PERCEPTUAL_INPUT_SIZE', 'PERCEPTUAL_LAYERS', 'PERCEPTUAL_METRIC_NAME',
    'PERCEPTUAL_MODEL_PACKAGE',
    'SSIM_K1', 'SSIM_K2', 'SSIM_SIGMA', 'SSIM_WINDOW', 'MAX_BINOMIAL_N', 'MAX_FRECHET_DIM'],
};
