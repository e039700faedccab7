/** Bad-input rows for semcom-workbook/channels (see table.ts). */
import { Rng } from '../../../lib/core/index.js';
import { IEEE80211N_R12_BASE, ieee80211nLdpc } from '../../../lib/channels/index.js';
import { p, c, type EntryTable } from './table.js';

const rng = (): Rng => new Rng(1);
const sig = (n = 4): { re: Float64Array; im: Float64Array } => ({
  re: Float64Array.from({ length: n }, (_, i) => (i % 2 ? 0.7 : -0.7)), im: Float64Array.from({ length: n }, () => 0.7),
});
const bits = (n = 8): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 2);
const SIG_BAD = [p('x', '0', 'object', ['12', 12, null, [1, 2]]), p('x', '0.re.1', 'finiteElement'),
  p('x', '0.im.0', 'finiteElement')];
const BITS_BAD = (name: string, at: string) => [p(name, at, 'object', ['12', 12, null, [0, 1]]),
  { name, at: `${at}.0`, kind: 'integer' as const, bad: [2, 255] }];

export const table: EntryTable = {
  rows: {
    assertBits: { args: () => ['bits', bits()], params: BITS_BAD('bits', '1') },
    indicesToBits: {
      args: () => [[0, 3, 1], 2],
      params: [p('indices', '0', 'numbers'), p('indices', '0.1', 'integer', [NaN, Infinity, '12', 1.5, -1, 4]),
        p('mBits', '1', 'count')],
    },
    bitsToIndices: {
      args: () => [bits(6), 2],
      params: [...BITS_BAD('bits', '0'), p('mBits', '1', 'count')],
      cases: [c('length not a multiple of mBits', 'bits', () => [bits(5), 2])],
    },
    randomBits: {
      args: () => [16, { rng: rng() }],
      params: [p('n', '0', 'count'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('rng', '1.rng', 'rng')],
      cases: [c('an Rng in place of the options', 'rng', () => [16, rng()])],
    },
    countBitErrors: {
      args: () => [bits(), bits()],
      params: [...BITS_BAD('a', '0'), ...BITS_BAD('b', '1')],
      cases: [c('different lengths', 'a', () => [bits(8), bits(7)])],
    },
    hammingDistance: {
      args: () => [5, 3],
      params: [p('a', '0', 'integer', [NaN, Infinity, '12', 1.5, -1, 2 ** 60]),
        p('b', '1', 'integer', [NaN, '12', 1.5, -1, 2 ** 60])],
    },
    complexZeros: { args: () => [4], params: [p('n', '0', 'count')] },
    assertComplex: {
      args: () => ['y', sig()],
      params: [p('y', '1', 'object', ['12', 12, null, [1, 2]]), p('y', '1.re.1', 'finiteElement'),
        p('y', '1.im', 'object', [[1], null])],
      cases: [c('re and im of different lengths', 'y',
        () => ['y', { re: new Float64Array(2), im: new Float64Array(3) }])],
    },
    averagePower: { args: () => [sig()], params: SIG_BAD },
    normalizePower: {
      args: () => [sig()],
      params: SIG_BAD,
      cases: [c('zero power', 'x', () => [{ re: new Float64Array(2), im: new Float64Array(2) }])],
    },
    bitsPerSymbol: { args: () => [16], params: [p('M', '0', 'integer', [NaN, '16', 8, 1.5, -4])] },
    constellation: { args: () => [4], params: [p('M', '0', 'integer', [NaN, '4', 8, 32])] },
    modulate: {
      args: () => [bits(8), 4],
      params: [...BITS_BAD('bits', '0'), p('M', '1', 'integer', [NaN, '4', 8])],
      cases: [c('length not a multiple of log2 M', 'bits', () => [bits(7), 4])],
    },
    demodulateHard: {
      args: () => [sig(), 4, { h: sig() }],
      params: [p('y', '0', 'object', ['12', null]), p('y', '0.re.0', 'finiteElement'),
        p('M', '1', 'integer', [NaN, '4', 8]),
        p('options', '2', 'object', ['12', 12, null]), p('h', '2.h.re.2', 'finiteElement')],
      cases: [c('h of another length', 'h', () => [sig(4), 4, { h: sig(3) }])],
    },
    demodulateLlr: {
      args: () => [sig(), 4, 0.5, { h: sig() }],
      params: [p('y', '0', 'object', ['12', null]), p('y', '0.im.3', 'finiteElement'),
        p('M', '1', 'integer', [NaN, '4', 8]),
        p('noiseVar', '2', 'positive'), p('options', '3', 'object', ['12', 12, null]),
          p('h', '3.h.re.0', 'finiteElement'),
        p('method', '3.method', 'string', ['fast', 12])],
      cases: [
        c('noiseVar of another length', 'noiseVar', () => [sig(4), 4, new Float64Array(3).fill(1), {}]),
        c('a NaN noiseVar entry', 'noiseVar', () => [sig(2), 4, new Float64Array([1, NaN]), {}]),
      ],
    },
    hardDecision: {
      args: () => [new Float64Array([1, -2, Infinity])],
      params: [p('llr', '0', 'numbers', ['12', 12, null, [1, -1]]), p('llr', '0.1', 'finiteElement', [NaN])],
    },
    dbToLinear: { args: () => [3], params: [p('db', '0', 'real')] },
    noiseVariance: { args: () => [10, 1], params: [p('snrDb', '0', 'real'), p('signalPower', '1', 'positive')] },
    ebNoToEsNo: {
      args: () => [5, 2, 0.5],
      params: [p('ebNoDb', '0', 'real'), p('bitsPerSymbol', '1', 'count', [NaN, Infinity, '12', 1.5, 0, 1e12]),
        p('codeRate', '2', 'probability', [NaN, '12', 0, -0.5, 1.5])],
    },
    awgn: {
      args: () => [sig(), { snrDb: 10, rng: rng() }],
      params: [...SIG_BAD, p('options', '1', 'object', ['12', 12, null, undefined]), p('snrDb', '1.snrDb', 'real'),
        p('rng', '1.rng', 'rng'),
          p('signalPower', '1.signalPower', 'positive', [NaN, Infinity, '12', 0, -1, 'average'])],
      cases: [
        c('the old positional form awgn(x, snrDb, rng)', 'options', () => [sig(), 10, rng()]),
        c("'measured' power of a silent signal", 'signalPower',
          () => [{ re: new Float64Array(2), im: new Float64Array(2) },
          { snrDb: 1, rng: rng(), signalPower: 'measured' }]),
      ],
    },
    rayleighCoefficients: {
      args: () => [8, { rng: rng(), blockLength: 2 }],
      params: [p('n', '0', 'count'), p('options', '1', 'object', ['12', 12, null, undefined]), p('rng', '1.rng', 'rng'),
        p('blockLength', '1.blockLength', 'count', [NaN, -Infinity, '12', 1.5, 0, -1])],
    },
    applyFading: {
      args: () => [sig(), sig()],
      params: [...SIG_BAD, p('h', '1', 'object', ['12', null]), p('h', '1.re.0', 'finiteElement')],
      cases: [c('h of another length', 'h', () => [sig(4), sig(5)])],
    },
    rayleigh: {
      args: () => [sig(), { snrDb: 10, rng: rng(), blockLength: 2 }],
      params: [...SIG_BAD, p('options', '1', 'object', ['12', 12, null, undefined]), p('snrDb', '1.snrDb', 'real'),
        p('rng', '1.rng', 'rng'),
        p('blockLength', '1.blockLength', 'count', [NaN, '12', 1.5, 0, -1]),
          p('signalPower', '1.signalPower', 'positive')],
    },
    equalize: {
      args: () => [sig(), sig(), 0.1],
      params: [p('y', '0', 'object', ['12', null]), p('y', '0.re.0', 'finiteElement'),
        p('h', '1', 'object', ['12', null]),
        p('h', '1.im.1', 'finiteElement'), p('noiseVar', '2', 'positive')],
      cases: [c('h of another length', 'h', () => [sig(4), sig(2), 0.1])],
    },
    bsc: {
      args: () => [bits(), { eps: 0.1, rng: rng() }],
      params: [...BITS_BAD('bits', '0'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('eps', '1.eps', 'probability', [NaN, Infinity, '12', -0.1, 0.6]), p('rng', '1.rng', 'rng')],
    },
    erfc: { args: () => [0.5], params: [p('x', '0', 'real')] },
    qfunc: { args: () => [0.5], params: [p('x', '0', 'real')] },
    bpskBer: { args: () => [5, 'rayleigh'],
      params: [p('snrDb', '0', 'real'), p('channel', '1', 'string', ['fading', 12])] },
    qamBer: {
      args: () => [16, 5, 'awgn'],
      params: [p('M', '0', 'integer', [NaN, '16', 8]), p('snrDb', '1', 'real'),
        p('channel', '2', 'string', ['fading', 12, undefined])],
    },
    normalQuantile: { args: () => [0.3], params: [p('p', '0', 'probability', [NaN, Infinity, '12', 0, 1, -0.5, 1.5])] },
    wilsonInterval: {
      args: () => [3, 10, 0.9],
      params: [p('successes', '0', 'nonNegative'), p('trials', '1', 'positive'),
        p('confidence', '2', 'probability', [NaN, '12', 0, 1, 1.5])],
      cases: [c('successes > trials', 'successes', () => [11, 10])],
    },
    simulateBer: {
      args: () => [(n: number) => ({ errors: 1, bits: n }), { rng: rng(), targetErrors: 5, batchBits: 10 }],
      params: [p('trial', '0', 'function'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('rng', '1.rng', 'rng'),
        p('targetErrors', '1.targetErrors', 'count', [NaN, Infinity, '12', 1.5, 0, 1e12]),
        p('maxBits', '1.maxBits', 'count', [NaN, Infinity, '12', 0, -1, 1e15]),
        p('batchBits', '1.batchBits', 'count', [NaN, Infinity, '12', 1.5, 0, 1e12]),
        p('confidence', '1.confidence', 'probability', [NaN, '12', 0, 1]),
        p('bitsPerIndependentUnit', '1.bitsPerIndependentUnit', 'positive')],
      cases: [c('a trial returning errors > bits', 'trial', () => [() => ({ errors: 3, bits: 2 }), { rng: rng() }]),
        c('a trial returning NaN', 'trial', () => [() => ({ errors: NaN, bits: 2 }), { rng: rng() }])],
    },
    bscIndexTransition: {
      args: () => [3, 0.1, 'exact'],
      params: [p('mBits', '0', 'count'), p('eps', '1', 'probability', [NaN, '12', -0.1, 0.6]),
        p('model', '2', 'string', ['other', 12])],
    },
    randomLabellingTransition: {
      args: () => [3, 0.1], params: [p('mBits', '0', 'count'), p('eps', '1', 'probability', [NaN, '12', -0.1, 0.6])],
    },
    indexErrorProbability: {
      args: () => [3, 0.1], params: [p('mBits', '0', 'count'), p('eps', '1', 'probability', [NaN, '12', -0.1, 0.6])],
    },
    bscIndices: {
      args: () => [[0, 5, 7], { mBits: 3, eps: 0.1, rng: rng() }],
      params: [p('indices', '0', 'numbers'), p('indices', '0.1', 'integer', [NaN, '12', 1.5, -1, 8]),
        p('options', '1', 'object', ['12', 12, null, undefined]), p('mBits', '1.mBits', 'count'),
        p('eps', '1.eps', 'probability', [NaN, '12', -0.1, 0.6]), p('rng', '1.rng', 'rng')],
    },
    QcLdpcCode: {
      construct: true,
      args: () => [IEEE80211N_R12_BASE[648].map((r) => [...r]), 27],
      params: [p('base', '0', 'object', ['12', 12, null, [], [[]]]),
        p('base', '0.1.0', 'integer', [NaN, '12', 1.5, -2, 27]),
        p('z', '1', 'count')],
      cases: [c('a ragged base', 'base', () => [[[0, 1, -1], [0, 1]], 2])],
    },
    ieee80211nLdpc: { args: () => [648], params: [p('n', '0', 'integer', [NaN, '648', 600, 1e12])] },
    transmitBits: {
      args: () => [bits(48), { M: 16, snrDb: 8, channel: 'awgn', ldpc: ieee80211nLdpc(648), rng: rng() }],
      params: [...BITS_BAD('bits', '0'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('M', '1.M', 'integer', [NaN, '16', 8]),
        p('snrDb', '1.snrDb', 'real'), p('channel', '1.channel', 'string', ['fading', 12]),
        p('blockLength', '1.blockLength', 'count', [NaN, '12', 1.5, 0, -1]), p('csi', '1.csi', 'string', ['yes', 1]),
        p('ldpc', '1.ldpc', 'object', ['12', 12, {}]), p('ldpcOptions', '1.ldpcOptions', 'object', ['12', 12]),
        p('maxIterations', '1.ldpcOptions', 'object', [{ maxIterations: NaN }, { maxIterations: 1e12 }]),
        p('llrMethod', '1.llrMethod', 'string', ['fast', 12]), p('rng', '1.rng', 'rng')],
    },
    transmitIndices: {
      args: () => [[1, 2, 3], { mBits: 2, snrDb: 20, channel: 'awgn', M: 4, rng: rng() }],
      params: [p('indices', '0', 'numbers'), p('indices', '0.0', 'integer', [NaN, 1.5, -1, 4]),
        p('options', '1', 'object', ['12', 12, null]),
        p('mBits', '1.mBits', 'count'), p('snrDb', '1.snrDb', 'real'), p('rng', '1.rng', 'rng')],
    },
    linkTrial: {
      args: () => [{ M: 4, snrDb: 5, channel: 'awgn' }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('M', '0.M', 'integer', [NaN, '4', 8]),
        p('snrDb', '0.snrDb', 'real'),
        p('blockLength', '0.blockLength', 'count', [NaN, 0, 1.5])],
    },
  },
  noNumericInput: {},
  constants: ['IEEE80211N_R12_BASE', 'MAX_INDEX_BITS', 'MODULATION_ORDERS', 'MAX_SIMULATED_BITS', 'MAX_BATCH_BITS',
    'MAX_LIFTING', 'MAX_BP_ITERATIONS'],
};
