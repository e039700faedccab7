/** Bad-input rows for semcom-workbook/nn (see table.ts). Tensors are small and built on the cpu backend. */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../lib/core/index.js';
import {
  tf, Adam, initDense, initConv2d, initConvTranspose2d, initGroupNorm, initResBlock, initAttention, type Params,
} from '../../../lib/nn/index.js';
import { p, c, scratchDir, type EntryTable } from './table.js';

const rng = (): Rng => new Rng(5);
const t2 = (r: number, k: number): tf.Tensor2D =>
  tf.tensor2d(Float32Array.from({ length: r * k }, (_, i) => Math.sin(i)), [r, k]);
const t4 = (h = 4, ch = 4): tf.Tensor4D =>
  tf.tensor4d(Float32Array.from({ length: h * h * ch }, (_, i) => Math.cos(i)), [1, h, h, ch]);
const NOT_TENSOR: readonly unknown[] = ['12', 12, null, [1, 2], {}];
const tensor = (name: string, at: string, extra: readonly unknown[] = []) =>
  p(name, at, 'object', [...NOT_TENSOR, ...extra]);
const params = (build: (p: Params) => void): Params => {
  const q: Params = {};
  build(q);
  return q;
};
const dense = (): Params => params((q) => initDense(q, 'd', { inDim: 3, outDim: 2, rng: rng() }));
const conv = (): Params => params((q) => initConv2d(q, 'c', { k: 3, cin: 4, cout: 4, rng: rng() }));
const convT = (): Params => params((q) => initConvTranspose2d(q, 't', { k: 4, cin: 4, cout: 2, rng: rng() }));
const gn = (): Params => params((q) => initGroupNorm(q, 'g', 4));
const res = (): Params => params((q) => initResBlock(q, 'r', { cin: 4, cout: 4, rng: rng() }));
const att = (): Params => params((q) => initAttention(q, 'a', { channels: 4, rng: rng() }));
const PARAMS: readonly unknown[] = ['12', 12, null];
const SIZE = [NaN, Infinity, '3', 1.5, 0, -1, 1e12];
const INIT = (at: string) => [p('options', at, 'object', ['12', 12, null, undefined]), p('rng', `${at}.rng`, 'rng')];
let dir: string | null = null;
const tmp = (): string => (dir ??= mkdtempSync(join(scratchDir(), 'inputs-table-nn-')));
/** The sweep fixture (test/fixtures/sweep-demo.ts): an existing trial module. */
const DEMO = fileURLToPath(new URL('../../fixtures/sweep-demo.js', import.meta.url));
const filterAttrs = () => ({ strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 4] });
const inputAttrs = () => ({ strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 4] });

export const table: EntryTable = {
  rows: {
    initBackend: { args: () => ['cpu'], params: [p('preferred', '0', 'string', ['gpu', 12, null])] },
    conv2dBackpropFilterOps: {
      args: () => [t4(), t4(), filterAttrs()],
      params: [tensor('x', '0', [t2(2, 2)]), tensor('dy', '1'), p('attrs', '2', 'object', ['12', 12, null]),
        p('attrs.strides', '2.strides', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12]),
          p('attrs.pad', '2.pad', 'string', ['full', NaN, -1, null]),
        p('attrs.filterShape', '2.filterShape', 'object', ['12', [3, 3, 4]]),
          p('attrs.filterShape[0]', '2.filterShape.0', 'count', SIZE)],
    },
    conv2dBackpropInputOps: {
      args: () => [t4(), tf.tensor4d(new Float32Array(3 * 3 * 4 * 4), [3, 3, 4, 4]), inputAttrs()],
      params: [tensor('dy', '0', [t2(2, 2)]), tensor('filter', '1'), p('attrs', '2', 'object', ['12', 12, null]),
        p('attrs.strides', '2.strides', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12]),
          p('attrs.inputShape[1]', '2.inputShape.1', 'count', SIZE)],
    },
    unsortedSegmentSumJs: {
      args: () => [new Float32Array([1, 2, 3, 4]), [2, 2], new Int32Array([0, 1]), 3, 'float32'],
      params: [p('x', '0', 'numbers', ['12', 12, null]), p('xShape', '1', 'object', ['12', 12, null, []]),
        p('xShape', '1.0', 'count', SIZE),
        p('segmentIds', '2', 'numbers', ['12', 12, null]), p('segmentIds[0]', '2', 'object', [[0.5, 1], [NaN, 1]]),
        p('numSegments', '3', 'count'), p('dtype', '4', 'string', ['float64', 12])],
      cases: [c('ids of another length', 'segmentIds', () => [new Float32Array(4), [2, 2], [0], 2, 'float32'])],
    },
    matMul: {
      args: () => [t2(2, 3), t2(3, 2)],
      params: [tensor('a', '0'), tensor('b', '1')],
      cases: [c('rank 1 operands', 'a and b', () => [tf.tensor1d([1, 2]), tf.tensor1d([1, 2])])],
    },
    dense: {
      args: () => [t2(2, 3), t2(3, 2), tf.tensor1d([0, 1])],
      params: [tensor('x', '0'), tensor('w', '1', [tf.tensor1d([1])]), tensor('b', '2', [t2(1, 2)])],
      cases: [c('x of the wrong width', 'x', () => [t2(2, 4), t2(3, 2)])],
    },
    swish: { args: () => [t2(2, 2)], params: [tensor('x', '0')] },
    stopGradient: { args: () => [t2(2, 2)], params: [tensor('x', '0')] },
    straightThrough: {
      args: () => [t2(2, 2), t2(2, 2)], params: [tensor('value', '0'), tensor('through', '1')],
      cases: [c('different shapes', 'shapes must match', () => [t2(2, 2), t2(2, 3)])],
    },
    randomNormal: {
      args: () => [[2, 3], { rng: rng() }],
      params: [p('shape', '0', 'object', ['12', 12, null]),
        p('shape[1]', '0.1', 'count', [NaN, Infinity, '3', 1.5, -1, 1e12]),
        p('options', '1', 'object', ['12', 12, null, undefined]),
        p('rng', '1.rng', 'rng')],
      cases: [c('an Rng in place of the options', 'rng', () => [[2], rng()]),
        c('a shape beyond the limit', 'shape', () => [[2 ** 20, 2 ** 20], { rng: rng() }])],
    },
    randomUniform: {
      args: () => [[2, 3], { rng: rng() }],
      params: [p('shape', '0', 'object', ['12', 12, null]),
        p('shape[0]', '0.0', 'count', [NaN, Infinity, '3', 1.5, -1, 1e12]), p('rng', '1.rng', 'rng')],
    },
    reparameterize: {
      args: () => [t2(2, 2), t2(2, 2), t2(2, 2)],
        params: [tensor('mu', '0'), tensor('logVar', '1'), tensor('eps', '2')],
      cases: [c('eps of another shape', 'shapes must match', () => [t2(2, 2), t2(2, 2), t2(3, 2)])],
    },
    hardOneHotStraightThrough: { args: () => [t2(2, 3)], params: [tensor('soft', '0')] },
    gumbelSoftmax: {
      args: () => [t2(2, 3), { tau: 0.5, rng: rng(), hard: true }],
      params: [tensor('logits', '0'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('tau', '1.tau', 'positive'),
        p('rng', '1.rng', 'rng'), p('hard', '1.hard', 'string', ['yes', 1])],
    },
    reinforceSurrogate: {
      args: () => [tf.tensor1d([-1, -2]), tf.tensor1d([1, 3]), 0.5],
      params: [tensor('logProb', '0'), tensor('cost', '1'), p('baseline', '2', 'real', [NaN, Infinity, '0.5', null])],
      cases: [c('cost of another shape', 'shapes must match', () => [tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3])])],
    },
    EmaBaseline: {
      construct: true, args: () => [0.9, 1],
      params: [p('momentum', '0', 'probability', [NaN, Infinity, '0.9', -0.1, 1, 1.5]), p('initial', '1', 'real')],
    },
    nearestCodewordLookup: {
      args: () => [t2(3, 2), t2(4, 2)], params: [tensor('z', '0'), tensor('codebook', '1')],
      cases: [c('different widths', 'z must be [N, D]', () => [t2(3, 2), t2(4, 3)])],
    },
    vectorQuantize: {
      args: () => [t2(3, 2), t2(4, 2)], params: [tensor('z', '0'), tensor('codebook', '1', [tf.tensor1d([1])])],
      cases: [c('different widths', "z's last dimension", () => [t2(3, 2), t2(4, 3)])],
    },
    addParam: {
      args: () => [{}, 'w', t2(1, 1)],
      params: [p('p', '0', 'object', PARAMS), p('name', '1', 'string', [12, null, '']), tensor('value', '2')],
      cases: [c('a name used twice', 'parameter "w"', () => [{ w: tf.variable(t2(1, 1)) }, 'w', t2(1, 1)])],
    },
    disposeParams: { args: () => [dense()], params: [p('p', '0', 'object', PARAMS)] },
    initDense: {
      args: () => [{}, 'd', { inDim: 3, outDim: 2, rng: rng() }],
      params: [p('p', '0', 'object', PARAMS), p('name', '1', 'string', [12, null, '']), ...INIT('2'),
        p('inDim', '2.inDim', 'count', SIZE),
        p('outDim', '2.outDim', 'count', SIZE)],
      cases: [c('the old positional form initDense(p, name, in, out, rng)', 'options', () => [{}, 'd', 3, 2, rng()]),
        c('a layer beyond the size limit', 'layer shape',
          () => [{}, 'd', { inDim: 2 ** 15, outDim: 2 ** 15, rng: rng() }])],
    },
    denseLayer: {
      args: () => [dense(), 'd', t2(2, 3)],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2')],
      cases: [c('a layer that was not initialised', 'missing parameter', () => [{}, 'd', t2(2, 3)])],
    },
    initConv2d: {
      args: () => [{}, 'c', { k: 3, cin: 4, cout: 4, rng: rng() }],
      params: [p('p', '0', 'object', PARAMS), ...INIT('2'), p('k', '2.k', 'count', SIZE),
        p('cin', '2.cin', 'count', SIZE), p('cout', '2.cout', 'count', SIZE)],
    },
    conv2dLayer: {
      args: () => [conv(), 'c', t4(), 1, 'same'],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]), p('stride', '3', 'count', SIZE),
        p('pad', '4', 'string', ['full', 12])],
    },
    initConvTranspose2d: {
      args: () => [{}, 't', { k: 4, cin: 4, cout: 2, rng: rng() }],
      params: [p('p', '0', 'object', PARAMS), ...INIT('2'), p('k', '2.k', 'count', SIZE),
        p('cin', '2.cin', 'count', SIZE), p('cout', '2.cout', 'count', SIZE)],
    },
    convTranspose2dLayer: {
      args: () => [convT(), 't', t4(), 2],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]), p('stride', '3', 'count', SIZE)],
    },
    upsampleNearest2x: { args: () => [t4()], params: [tensor('x', '0', [t2(2, 2)])] },
    upsampleConvLayer: { args: () => [conv(), 'c', t4()],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)])] },
    initGroupNorm: {
      args: () => [{}, 'g', 4],
        params: [p('p', '0', 'object', PARAMS), p('name', '1', 'string', [12, null, '']),
        p('channels', '2', 'count', SIZE)],
    },
    groupNorm: {
      args: () => [gn(), 'g', t4(), 2, 1e-5],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]),
        p('groups', '3', 'count', [NaN, Infinity, '2', 1.5, 0, 3]), p('eps', '4', 'positive')],
    },
    initResBlock: {
      args: () => [{}, 'r', { cin: 4, cout: 4, rng: rng() }],
      params: [p('p', '0', 'object', PARAMS), ...INIT('2'), p('cin', '2.cin', 'count', SIZE),
        p('cout', '2.cout', 'count', SIZE)],
    },
    resBlock: {
      args: () => [res(), 'r', t4(), 2],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]),
        p('groups', '3', 'count', [NaN, Infinity, '2', 1.5, 0, 3])],
    },
    initAttention: {
      args: () => [{}, 'a', { channels: 4, rng: rng() }],
      params: [p('p', '0', 'object', PARAMS), ...INIT('2'), p('channels', '2.channels', 'count', SIZE)],
    },
    attentionBlock: {
      args: () => [att(), 'a', t4(), 2],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]),
        p('groups', '3', 'count', [NaN, Infinity, '2', 1.5, 0, 3])],
    },
    Adam: {
      construct: true,
      args: () => [dense(), { lr: 0.01, warmupSteps: 2 }],
      params: [p('params', '0', 'object', PARAMS), p('options', '1', 'object', ['12', 12, null]),
        p('lr', '1.lr', 'positive'),
        p('beta1', '1.beta1', 'probability', [NaN, '0.9', -0.1, 1]), p('beta2', '1.beta2', 'probability', [NaN, 1.5]),
          p('eps', '1.eps', 'positive'),
        p('weightDecay', '1.weightDecay', 'nonNegative'), p('warmupSteps', '1.warmupSteps', 'count')],
    },
    saveWeights: {
      args: () => [join(tmp(), 'w.json'), { a: tf.tensor1d([1, 2]) }, { note: 1 }],
      params: [p('path', '0', 'string', [12, null, '']), p('source', '1', 'object', ['12', 12, null])],
    },
    loadWeights: {
      skipValid: 'test/unit/nn-train.test.ts and nn-cache-hardening round-trip weight files',
      args: () => [join(tmp(), 'missing.json')], params: [p('path', '0', 'string', [12, null, ''])],
    },
    loadWeightsInto: {
      skipValid: 'test/unit/nn-train.test.ts and nn-cache-hardening round-trip weight files',
      args: () => [join(tmp(), 'missing.json'), {}],
        params: [p('path', '0', 'string', [12, null, '']), p('vars', '1', 'object', ['12', 12, null])],
    },
    loadLayersModel: {
      skipValid: 'test/unit/nn-train.test.ts round-trips a LayersModel',
      args: () => [join(tmp(), 'missing.json')], params: [p('path', '0', 'string', [12, null, ''])],
    },
    canonicalJson: {
      args: () => [{ a: 1, b: [2, 3] }],
      params: [p('config', '0', 'real', [NaN, Infinity, () => 1, new Map(), new Date(0)]),
        p('config.a', '0.a', 'real', [NaN, -Infinity])],
    },
    configHash: {
      args: () => [{ a: 1 }],
      params: [p('config', '0', 'real', [NaN, Infinity, () => 1, new Set()]),
        p('config.a', '0.a', 'real', [NaN, Infinity, new Map()])],
    },
    train: {
      args: () => {
        const q = dense();
        return [{ params: q, steps: 2, rng: rng(), lossFn: () => tf.sum(tf.square(q['d.w'])) as tf.Scalar }];
      },
      params: [p('options', '0', 'object', ['12', 12, null, undefined]), p('rng', '0.rng', 'rng'),
        p('lossFn', '0.lossFn', 'function'),
        p('steps', '0.steps', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]),
          p('checkpointEvery', '0.checkpointEvery', 'count', [NaN, '1', 1.5, 0]),
        p('progressEvery', '0.progressEvery', 'count', [NaN, '1', 1.5, 0]),
          p('stopAtStep', '0.stopAtStep', 'count', [NaN, '1', 1.5, -1, 3]),
        p('params', '0.params', 'object', [{}])],
    },
    cliProgressBar: {
      args: () => [process.stderr, 20],
      params: [p('stream', '0', 'object', ['12', 12, null]),
        p('width', '1', 'count', [NaN, Infinity, '20', 1.5, 0, 1e12])],
    },
    runSweep: {
      args: () => [{ module: DEMO, exportName: 'demoTrial', configs: [], workers: 1, cacheDir: tmp() }],
      params: [p('module', '0.module', 'string', [12, null, '', join(scratchDir(), 'no-such-module.js')]),
        p('exportName', '0.exportName', 'string', [12, null, '']),
        p('configs', '0.configs', 'object', ['12', 12, null]),
          p('workers', '0.workers', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12])],
    },
    runSweepAll: {
      skipValid: 'test/unit/nn-sweep.test.ts runs sweeps (worker processes)',
      args: () => [{ module: join(tmp(), 'missing.js'), exportName: 'trial', configs: [], workers: 1,
        cacheDir: tmp() }],
      params: [p('module', '0.module', 'string', [12, null, ''])],
    },
    gramMatrix: { args: () => [tf.zeros([2, 3, 4])], params: [tensor('f', '0', [t2(2, 2)])] },
    repeatEachRow: {
      args: () => [t2(2, 3), 2],
      params: [tensor('t', '0', [tf.zeros([2, 2, 2])]), p('k', '1', 'count', [NaN, Infinity, '2', 1.5, 0, -1, 1e12])],
    },
    groupNormalize: {
      args: () => [t4(), tf.ones([4]), tf.zeros([4]), { groups: 2, eps: 1e-5, swish: true }],
      params: [tensor('x', '0', [t2(2, 2)]), tensor('gamma', '1', [t2(2, 2)]), tensor('beta', '2'),
        p('options', '3', 'object', ['12', 12, null, undefined]),
        p('groups', '3.groups', 'count', [NaN, Infinity, '2', 1.5, 0, 3]),
        p('eps', '3.eps', 'positive'), p('swish', '3.swish', 'string', ['yes', 1])],
    },
    layerNormalize: {
      args: () => [t2(2, 3), tf.ones([3]), tf.zeros([3]), 1e-5],
      params: [tensor('x', '0'), tensor('gamma', '1', [t2(1, 3)]), tensor('beta', '2'), p('eps', '3', 'positive')],
    },
    gatherRows: {
      args: () => [t2(4, 2), [0, 3]],
      params: [tensor('table', '0', [tf.zeros([2])]), p('indices', '1', 'numbers', ['12', 12, null, {}]),
        p('indices', '1.1', 'integer', [NaN, Infinity, '3', 1.5, -1, 4])],
    },
    groupNormSwish: {
      args: () => [gn(), 'g', t4(), 2, 1e-5],
      params: [p('p', '0', 'object', PARAMS), tensor('x', '2', [t2(2, 2)]),
        p('groups', '3', 'count', [NaN, Infinity, '2', 1.5, 0, 3]), p('eps', '4', 'positive')],
    },
    makeTrainStep: {
      args: () => {
        const q = dense();
        return [q, new Adam(q)];
      },
      params: [p('params', '0', 'object', PARAMS), p('adam', '1', 'object', ['12', 12, null, {}])],
    },
    checkpointIdentity: {
      args: () => [{ config: { a: 1 }, steps: 10 }],
      params: [p('options', '0', 'object', ['12', 12, null]),
        p('steps', '0.steps', 'count', [NaN, Infinity, '10', 1.5, 0, 1e12]),
        p('config.a', '0.config.a', 'real', [NaN, Infinity])],
    },
    sweepEntryKey: {
      args: () => ['m.js', 'trial', { a: 1 }, 'abc'],
      params: [p('module', '0', 'string', [12, null]), p('exportName', '1', 'string', [12, null]),
        p('config.a', '2.a', 'real', [NaN, Infinity]), p('code', '3', 'string', [12, null])],
    },
    codeKeyedHash: {
      args: () => [{ a: 1 }, DEMO],
      params: [p('config.a', '0.a', 'real', [NaN, -Infinity, new Map()]), p('module', '1', 'string', [12, null, ''])],
    },
    setCancellationCheck: { args: () => [null], params: [p('fn', '0', 'function', ['12', 12])] },
    shardOf: {
      args: () => ['abcdef123456789', 2],
      params: [p('hash', '0', 'string', [12, null, '', 'xyz']), p('count', '1', 'count', [NaN, Infinity, '3', 1.5, 0, -1])],
    },
    SweepLocks: {
      construct: true,
      args: () => [tmp(), { staleMs: 60_000, heartbeatMs: 1_000 }],
      params: [p('dir', '0', 'string', [12, null, '']),
        p('staleMs', '1.staleMs', 'positive', [NaN, Infinity, '3', 0, -1]),
        p('heartbeatMs', '1.heartbeatMs', 'positive', [NaN, Infinity, '3', 0, -1])],
    },
  },
  noNumericInput: {
    codeVersion: 'a module path or file: URL (checked: TypeError naming module) and { fresh }',
    importGraph: 'a module path (string)',
    moduleSpecifiers: 'a module\'s source text (string)',
    forgetCodeVersions: 'takes no arguments',
    loadWasmBackend: 'takes no arguments',
    backendChoice: 'takes no arguments',
    describeBackend: 'takes no arguments',
    registerWasmGradientKernels: 'takes no arguments',
    throwIfCancelled: 'takes no arguments',
    parseShard: 'the text of a flag, i/n (malformed values: RangeError naming the flag; test/unit/nn-sweep-shard.test.ts)',
    parseShardCount: 'the text of a flag, n (malformed values: RangeError naming the flag; nn-sweep-shard test)',
    coordinationFromEnv: 'an environment object of strings (malformed values name the variable; nn-sweep-shard test)',
    compactDescription: 'any JSON value (it is only printed)',
    estimateFromOtherCode: 'a folder, a module path, an export name and a configuration (read-only lookup; null when none)',
    SweepPlanStop: 'an error class runSweep throws in plan mode (a count of missing entries it is given)',
    SweepMissingError: 'an error class runSweep throws in from-cache mode (built from the sweep\'s own list)',
    lockFileOf: 'a folder and a hash (string paths)',
    readSweepLock: 'a folder and a hash (string paths); null when there is no lock',
  },
  constants: ['BACKEND_NAMES', 'tf', 'MAX_TRAIN_STEPS', 'DEFAULT_SHARD_TIMEOUT_S', 'SWEEP_MODES'],
};
