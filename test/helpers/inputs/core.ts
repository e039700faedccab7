/** Bad-input rows for semcom-workbook/core (see table.ts). */
import { join } from 'node:path';
import { p, c, scratchDir, type EntryTable } from './table.js';

const sym2 = (): { data: Float64Array; n: number } => ({ data: new Float64Array([2, 1, 1, 2]), n: 2 });
const tmpFile = (): string => join(scratchDir(), `inputs-table-${process.pid}.txt`);

export const table: EntryTable = {
  rows: {
    Rng: {
      construct: true,
      args: () => [2025],
      params: [p('seed', '0', 'integer', [NaN, Infinity, '12', 2025.9, -1, 2025 + 2 ** 32, undefined])],
    },
    assertFiniteNumber: { args: () => ['x', 1], params: [p('x', '1', 'real')] },
    assertPositive: { args: () => ['x', 1], params: [p('x', '1', 'positive')] },
    assertNonNegative: { args: () => ['x', 0], params: [p('x', '1', 'nonNegative')] },
    assertInteger: {
      args: () => ['x', 3, 0, 10],
      params: [p('x', '1', 'integer'), p('min', '2', 'integer', [NaN, '12']), p('max', '3', 'integer', [NaN, '12'])],
      cases: [c('min > max', 'min', () => ['x', 3, 5, 1]), c('above max', 'x', () => ['x', 11, 0, 10])],
    },
    assertInRange: {
      args: () => ['x', 0.5, 0, 1],
      params: [p('x', '1', 'real'), p('lo', '2', 'real', [NaN, '12']), p('hi', '3', 'real', [NaN, '12'])],
      cases: [c('above hi', 'x', () => ['x', 2, 0, 1])],
    },
    assertOneOf: {
      args: () => ['x', 2, [2, 4]],
      params: [p('x', '1', 'real', [NaN, 3, '2']), p('allowed', '2', 'object', ['12', 12, null])],
    },
    toProbabilityVector: {
      args: () => ['px', [0.5, 0.5]],
      params: [
        p('px', '1', 'numbers', ['12', 12, null, {}, []]), p('px', '1.0', 'real', [NaN, Infinity, '12', -0.5]),
        p('tol', '2', 'positive'),
      ],
      cases: [c('does not sum to 1', 'px', () => ['px', [0.5, 0.6]])],
    },
    assertFiniteArray: {
      args: () => ['v', [1, 2]],
      params: [p('v', '1', 'numbers', ['12', 12, null, {}, []]), p('v', '1.1', 'real')],
    },
    optionalInteger: {
      args: () => ['k', undefined, 3, 1, 10],
      params: [p('k', '1', 'count'), p('k', '2', 'count'), p('min', '3', 'integer', [NaN, '12']),
        p('max', '4', 'integer', [NaN, '12'])],
    },
    assertSize: {
      args: () => ['n', 5],
        params: [p('n', '1', 'count'), p('min', '2', 'integer', [NaN, '12']), p('max', '3', 'integer', [NaN, '12'])],
    },
    assertObject: { args: () => ['options', {}],
      params: [p('options', '1', 'object', ['12', 12, null, undefined, []])] },
    assertString: { args: () => ['path', 'a'], params: [p('path', '1', 'string')] },
    assertFunction: { args: () => ['fn', () => 1], params: [p('fn', '1', 'function')] },
    assertRng: { args: () => ['rng', { uniform: () => 0, normal: () => 0, nextUint32: () => 0 }],
      params: [p('rng', '1', 'rng')] },
    rowCount: {
      args: () => ['rows', new Float64Array(6), 3],
      params: [p('rows', '1', 'numbers'), p('n', '2', 'count', [NaN, Infinity, '12', 1.5, -1, 0])],
      cases: [c('length not a multiple of n', 'rows', () => ['rows', new Float64Array(7), 3])],
    },
    secondMoment: {
      args: () => [new Float64Array([1, 2, 3, 4]), 2],
      params: [p('rows', '0', 'numbers'), p('rows', '0.1', 'finiteElement'),
        p('n', '1', 'count', [NaN, Infinity, '12', 1.5, -1, 0])],
      cases: [c('no rows', 'rows', () => [new Float64Array(0), 2]),
        c('ragged', 'rows', () => [new Float64Array(3), 2])],
    },
    symmetricEigen: {
      args: () => [sym2()],
      params: [p('a', '0', 'object'), p('a.n', '0.n', 'count', [NaN, Infinity, '12', 1.5, -1, 0]),
        p('a.data', '0.data.1', 'finiteElement'),
        p('a.data', '0.data', 'numbers')],
      cases: [c('data of the wrong size', 'a.data', () => [{ data: new Float64Array(3), n: 2 }])],
    },
    sqrtPsd: {
      args: () => [sym2()],
      params: [p('a', '0', 'object'), p('a.n', '0.n', 'count', [NaN, Infinity, '12', 1.5, -1, 0]),
        p('a.data', '0.data.1', 'finiteElement')],
    },
    matMulSquare: {
      args: () => [new Float64Array([1, 0, 0, 1]), new Float64Array([1, 2, 3, 4]), 2],
      params: [p('a', '0', 'numbers'), p('b', '1', 'numbers'), p('a', '0.0', 'finiteElement'),
        p('b', '1.3', 'finiteElement'),
        p('n', '2', 'count', [NaN, Infinity, '12', 1.5, -1, 0])],
      cases: [c('a of the wrong size', 'a', () => [new Float64Array(3), new Float64Array(4), 2])],
    },
    writeFileAtomic: {
      args: () => [tmpFile(), 'x'],
      params: [p('path', '0', 'string'), p('data', '1', 'string', [12, null, {}])],
    },
    writeJsonAtomic: {
      args: () => [tmpFile(), { a: 1 }],
      params: [p('path', '0', 'string'), p('value', '1', 'object', [NaN, Infinity, undefined, () => 1])],
    },
  },
  noNumericInput: {
    projectRoot: 'takes no arguments',
    cacheDir: 'path segments (strings), joined like path.join, which names a non-string segment',
    describe: 'describes any value for an error message: every input is legal',
    isNumericArray: 'a predicate: every input is legal, the answer is true or false',
  },
  constants: ['MAX_SEED', 'MAX_ELEMENTS'],
};
