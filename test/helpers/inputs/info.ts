/** Bad-input rows for semcom-workbook/info (see table.ts). */
import { p, c, type EntryTable, type Param } from './table.js';

const px = (): number[] => [0.2, 0.3, 0.5];
const dist = (): number[][] => [[0, 1, 4], [1, 0, 1], [4, 1, 0]];
const MATRIX: readonly unknown[] = ['12', 12, null, [], [[]], [[1, 2], [3]]];
const common = (at = '0'): Param[] => [
  p('options', at, 'object', ['12', 12, null, undefined]),
  p('px', `${at}.px`, 'numbers', ['12', 12, null, [], [0.5, 0.6]]),
    p('px', `${at}.px.1`, 'real', [NaN, Infinity, '0.3', -0.3]),
  p('distortion', `${at}.distortion`, 'object', MATRIX),
    p('distortion', `${at}.distortion.1.2`, 'real', [NaN, Infinity, '1', -1]),
];
const solver = (at = '0'): Param[] => [p('tol', `${at}.tol`, 'positive'),
  p('maxIters', `${at}.maxIters`, 'count', [NaN, Infinity, '12', 1.5, 0, 1e12])];
const points = (at = '0'): Param => p('points', `${at}.points`, 'count', [NaN, Infinity, '12', 1.5, 1, 1e7, 1e12]);
const wrongRows = (extra: Record<string, unknown>) =>
  c('distortion with a row per letter missing', 'distortion',
    () => [{ px: px(), distortion: [[0, 1, 4], [1, 0, 1]], ...extra }]);
const notSquare = (extra: Record<string, unknown>) =>
  c('a non-square distortion', 'distortion', () => [{ px: px(), distortion: [[0, 1], [1, 0], [4, 1]], ...extra }]);

export const table: EntryTable = {
  rows: {
    toDenseMatrix: {
      args: () => ['d', dist()],
      params: [p('d', '1', 'object', MATRIX), p('d', '1.0.0', 'real', [NaN, Infinity, '1']),
        p('name', '0', 'string', [12, null])],
      cases: [
        c('dense data of the wrong size', 'd', () => ['d', { data: new Float64Array(3), rows: 2, cols: 2 }]),
        c('dense with a NaN entry', 'd', () => ['d', { data: new Float64Array([0, NaN, 1, 0]), rows: 2, cols: 2 }]),
        c('dense with fractional rows', 'd', () => ['d', { data: new Float64Array(4), rows: 1.5, cols: 2 }]),
      ],
    },
    entropy: { args: () => [px()],
      params: [p('p', '0', 'numbers', ['12', 12, null, [], [0.5, 0.6]]), p('p', '0.0', 'real', [NaN, '0.2', -0.2])] },
    binaryEntropy: { args: () => [0.3], params: [p('t', '0', 'probability')] },
    klDivergence: {
      args: () => [px(), [0.3, 0.3, 0.4]],
      params: [p('p', '0', 'numbers', ['12', 12, null, []]), p('q', '1', 'numbers', ['12', 12, null, []]),
        p('q', '1.2', 'real', [NaN, '0.4', -0.4])],
      cases: [c('p and q of different lengths', 'p', () => [px(), [0.5, 0.5]])],
    },
    mutualInformation: {
      args: () => [[[0.25, 0.25], [0.25, 0.25]]],
      params: [p('joint', '0', 'object', MATRIX), p('joint', '0.0.1', 'real', [NaN, Infinity, '0.25', -0.25])],
      cases: [c('a joint that does not sum to 1', 'joint', () => [[[0.5, 0.5], [0.5, 0.5]]])],
    },
    blahutArimoto: {
      args: () => [{ px: px(), distortion: dist(), beta: 1 }],
      params: [...common(), ...solver(), p('beta', '0.beta', 'positive'),
        p('initialMarginal', '0.initialMarginal', 'numbers', ['12', 12, [0.5, 0.6, 0]])],
      cases: [wrongRows({ beta: 1 }),
        c('initialMarginal of the wrong length', 'initialMarginal',
        () => [{ px: px(), distortion: dist(), beta: 1, initialMarginal: [0.5, 0.5] }])],
    },
    rdCurve: {
      args: () => [{ px: px(), distortion: dist(), points: 4 }],
      params: [...common(), ...solver(), points(),
        p('betas', '0.betas', 'numbers', ['12', 12, [], [1, NaN], [1, -1], [1, '2']])],
      cases: [wrongRows({ points: 4 }),
        c('1e5 explicit slopes', 'betas', () => [{ px: px(), distortion: dist(), betas: new Array(1e5).fill(1) }])],
    },
    zepe: {
      args: () => [{ px: px(), distortion: dist(), lambda: 1 }],
      params: [...common(), ...solver(), p('lambda', '0.lambda', 'positive'),
        p('targetDistortion', '0', 'object', [{ px: px(), distortion: dist(), targetDistortion: NaN },
          { px: px(), distortion: dist(), targetDistortion: Infinity },
            { px: px(), distortion: dist(), targetDistortion: '0.5' },
          { px: px(), distortion: dist(), targetDistortion: -1 }])],
      cases: [notSquare({ lambda: 1 }),
        c('both lambda and targetDistortion', 'targetDistortion',
        () => [{ px: px(), distortion: dist(), lambda: 1, targetDistortion: 0.5 }])],
    },
    zepeCurve: {
      args: () => [{ px: px(), distortion: dist(), points: 4 }],
      params: [...common(), ...solver(), points(),
        p('lambdas', '0.lambdas', 'numbers', ['12', 12, [], [1, NaN], [1, 0]])],
      cases: [notSquare({ points: 4 })],
    },
    lemma2ClosedForm: {
      args: () => [{ px: px(), distortion: dist(), lambda: 1 }],
      params: [...common(), p('lambda', '0.lambda', 'positive')],
      cases: [notSquare({ lambda: 1 })],
    },
    rdSupportExit: {
      args: () => [{ px: px(), distortion: dist() }],
      params: [...common(), ...solver(), p('betaStart', '0.betaStart', 'positive')],
      cases: [wrongRows({}), c('a single reproduction letter', 'distortion', () => [{ px: [1], distortion: [[0]] }])],
    },
    zepeSemantic: {
      args: () => [{ pz: [0.5, 0.5], pxGivenZ: [[0.5, 0.5, 0], [0, 0.5, 0.5]], distortion: dist(),
        targetDistortion: 0.3 }],
      params: [p('options', '0', 'object', ['12', 12, null, undefined]),
        p('pz', '0.pz', 'numbers', ['12', 12, [], [0.5, 0.6]]),
        p('pz', '0.pz.0', 'real', [NaN, '0.5', -0.5]), p('pxGivenZ', '0.pxGivenZ', 'object', MATRIX),
        p('pxGivenZ', '0.pxGivenZ.0.0', 'real', [NaN, Infinity, '0.5', -0.5, 0.7]),
          p('distortion', '0.distortion', 'object', MATRIX),
        p('distortion', '0.distortion.0.1', 'real', [NaN, Infinity, -1]),
          p('targetDistortion', '0.targetDistortion', 'nonNegative'), ...solver()],
      cases: [c('pxGivenZ with a row per z missing', 'pxGivenZ',
        () => [{ pz: [0.5, 0.5], pxGivenZ: [[0.5, 0.5, 0]], distortion: dist(), targetDistortion: 0.3 }])],
    },
    rdpAt: {
      args: () => [{ px: px(), distortion: dist(), beta: 1, delta: 0.1 }],
      params: [...common(), ...solver(), p('beta', '0.beta', 'positive'),
        p('delta', '0.delta', 'nonNegative', [NaN, -Infinity, '0.1', -1])],
      cases: [notSquare({ beta: 1, delta: 0.1 })],
    },
    rdpCurve: {
      args: () => [{ px: px(), distortion: dist(), delta: 0.1, points: 3 }],
      params: [...common(), ...solver(), points(), p('delta', '0.delta', 'nonNegative', [NaN, -Infinity, '0.1', -1]),
        p('betas', '0.betas', 'numbers', ['12', 12, [], [1, NaN]])],
      cases: [notSquare({ delta: 0.1 })],
    },
    gaussianRD: { args: () => [1, 0.5], params: [p('sigma2', '0', 'positive'), p('D', '1', 'nonNegative')] },
    gaussianDR: { args: () => [1, 0.5], params: [p('sigma2', '0', 'positive'), p('R', '1', 'nonNegative')] },
    gaussianPerfectPerceptionDR: { args: () => [1, 0.5],
      params: [p('sigma2', '0', 'positive'), p('R', '1', 'nonNegative')] },
    gaussianZepeMultiplier: { args: () => [1, 0.5], params: [p('sigma2', '0', 'positive'), p('R', '1', 'nonNegative')] },
    discretizeGaussian: {
      args: () => [{ sigma2: 1, n: 5 }],
      params: [p('options', '0', 'object', ['12', 12, null, undefined]), p('sigma2', '0.sigma2', 'positive'),
        p('n', '0.n', 'count'),
        p('span', '0.span', 'positive')],
    },
  },
  noNumericInput: { engineKind: 'takes no arguments (reports which solver kernel is in use)' },
  constants: ['MAX_SOLVER_ITERATIONS', 'MAX_CURVE_POINTS'],
};
