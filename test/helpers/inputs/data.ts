/** Bad-input rows for semcom-workbook/data (see table.ts). Nothing here downloads or builds the photo set. */
import { p, c, type EntryTable } from './table.js';

const NOWHERE = '/proc/nonexistent-inputs-table';
const x = (n: number, d: number): Float32Array => Float32Array.from({ length: n * d }, (_, i) => (i % 10) / 10);
const idx = (): Uint8Array => Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
const image = () => ({ width: 4, height: 4, rgb: new Uint8Array(48) });
const grid = () => ({ patches: new Uint8Array(2 * 2 * 3), count: 1, cols: 1, rows: 1 });
const DEP5 = 'Files: *\nLicense: MIT\n';

export const table: EntryTable = {
  rows: {
    loadMnist: {
      args: () => ['test'],
      params: [p('split', '0', 'string', ['validation', 12, null]), p('options', '1', 'object', ['12', 12, null]),
        p('dir', '1', 'object', [{ dir: 12 }])],
    },
    loadFashionMnist: {
      skipValid: 'reads 47 MB (test/unit/data-mnist.test.ts loads it)',
      args: () => ['test'],
        params: [p('split', '0', 'string', ['validation', 12, null]), p('options', '1', 'object', ['12', 12, null])],
    },
    parseIdx: {
      args: () => [idx(), 1],
      params: [p('buf', '0', 'numbers', ['12', 12, null, [0, 0, 8, 1]]),
        p('expectedRank', '1', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12])],
      cases: [c('bad magic', 'buf', () => [idx(), 2]), c('truncated payload', 'buf', () => [idx().subarray(0, 9), 1])],
    },
    readIdxFile: {
      skipValid: 'test/unit/data-mnist.test.ts reads real IDX files',
      args: () => [`${NOWHERE}/x.idx`, 1],
      params: [p('path', '0', 'string', [12, null]),
        p('expectedRank', '1', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12])],
    },
    batches: {
      args: () => [{ x: x(5, 2), y: new Uint8Array(5), n: 5, batchSize: 2, seed: 1 }],
      params: [p('options', '0', 'object', ['12', 12, null, undefined]),
        p('x', '0.x', 'numbers', ['12', 12, null, [1, 2]]),
        p('n', '0.n', 'count', [NaN, Infinity, '5', 1.5, 0, 1e12]),
          p('batchSize', '0.batchSize', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]),
        p('seed', '0.seed', 'integer', [NaN, '1', 1.5, -1, 2 ** 32]),
          p('epoch', '0.epoch', 'count', [NaN, Infinity, '1', 1.5, -1, 1e12]),
        p('y', '0.y', 'numbers', ['12', 12, new Uint8Array(4)])],
      cases: [c('x not a multiple of n', 'x.length', () => [{ x: x(5, 2).subarray(1), n: 5, batchSize: 2, seed: 1 }]),
        c('shuffle without a seed', 'seed', () => [{ x: x(5, 2), n: 5, batchSize: 2 }])],
    },
    epochOrder: {
      args: () => [6, true, 3, 1],
      params: [p('n', '0', 'count'), p('shuffle', '1', 'string', ['yes', 1]),
        p('seed', '2', 'integer', [NaN, Infinity, '3', 1.5, -1, 2 ** 32, undefined]),
        p('epoch', '3', 'count', [NaN, Infinity, '1', 1.5, -1, 1e12])],
    },
    subset: {
      args: () => [{ x: x(5, 2), y: new Uint8Array(5), n: 5, photoIds: ['a', 'b', 'c', 'd', 'e'] }, 3, 7],
      params: [p('data', '0', 'object', ['12', 12, null]), p('x', '0.x', 'numbers', ['12', 12, null]),
        p('n', '0.n', 'count', [NaN, Infinity, '5', 1.5, 0, 1e12]),
        p('count', '1', 'count', [NaN, Infinity, '3', 1.5, 0, 6, 1e12]),
          p('seed', '2', 'integer', [NaN, Infinity, '7', 1.5, -1, 2 ** 32]),
        p('photoIds', '0.photoIds', 'object', [['a']])],
    },
    loadPhotoPatches: {
      skipValid: 'test/unit/data-photos.test.ts loads the built photo set',
      args: () => [{ split: 'test', patchSize: 32, root: NOWHERE }],
      params: [p('options', '0', 'object', ['12', 12, null, undefined]),
        p('split', '0.split', 'string', ['validation', 12]),
        p('patchSize', '0.patchSize', 'count', [NaN, Infinity, '32', 1.5, 0, 1e12]),
          p('root', '0.root', 'string', [12, null])],
    },
    loadImageDataset: {
      skipValid: 'needs a dataset on disk (test/unit/datasets.test.ts builds stand-ins and loads them)',
      args: () => [{ dataset: 'flickr8k', dataDir: NOWHERE, split: 'train', size: 8, count: 2, seed: 1, cacheDir: NOWHERE }],
      params: [p('options', '0', 'object', ['12', 12, null, undefined]),
        p('dataset', '0.dataset', 'string', ['imagenet', 12, null]), p('split', '0.split', 'string', ['val', 12, null]),
        p('size', '0.size', 'count', [NaN, Infinity, '8', 1.5, 0, 1e12]),
        p('count', '0.count', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]), p('seed', '0.seed', 'integer', [NaN, '1', 1.5, -1]),
        p('dataDir', '0.dataDir', 'string', [12, null]), p('cacheDir', '0.cacheDir', 'string', [12, null]),
        p('onProgress', '0.onProgress', 'function')],
    },
    loadDatasetImages: {
      skipValid: 'needs a dataset on disk under SEMCOM_DATA_DIR (test/unit/paper-profile.test.ts loads stand-ins)',
      args: () => [{ dataset: 'flickr8k', split: 'train', size: 8, count: 2, seed: 1 }],
      params: [p('dataset', '0.dataset', 'string', ['imagenet', 12, null]), p('split', '0.split', 'string', ['val', 12, null]),
        p('size', '0.size', 'count', [NaN, Infinity, '8', 1.5, 0, 1e12]),
        p('count', '0.count', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12]), p('seed', '0.seed', 'integer', [NaN, '1', 1.5, -1])],
    },
    assertOptionalDataset: {
      args: () => ['dataset', 'voc2012'],
      params: [p('dataset', '1', 'string', ['imagenet', 12, null])],
    },
    datasetStatus: {
      args: () => ['flickr8k', NOWHERE],
      params: [p('dataset', '0', 'string', ['imagenet', 12, null]), p('dataDir', '1', 'string', [12, null])],
    },
    photoSetStatus: {
      args: () => [{ root: NOWHERE, patchSizes: [32] }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('patchSizes', '0.patchSizes', 'numbers', ['12', 12]),
        p('patchSizes[0]', '0.patchSizes.0', 'count', [NaN, Infinity, '32', 1.5, 0, 1e12]),
          p('root', '0.root', 'string', [12, null])],
    },
    buildPhotoSet: {
      skipValid: 'downloads ~280 MB of Debian packages (set-up builds it; test/unit/data-photos.test.ts checks it)',
      args: () => [{ root: NOWHERE, sources: [], patchSize: 8 }],
      params: [p('options', '0', 'object', ['12', 12, null]),
        p('patchSize', '0.patchSize', 'count', [NaN, Infinity, '8', 1.5, 2, 1e12]),
        p('shortSide', '0.shortSide', 'count', [NaN, Infinity, '64', 1.5, 4, 1e12]),
          p('testFraction', '0.testFraction', 'probability'),
        p('root', '0.root', 'string', [12, null]), p('log', '0.log', 'function'), p('decode', '0.decode', 'function'),
          p('sources', '0.sources', 'object', ['12', 12])],
    },
    cutPatches: {
      args: () => [image(), 2],
      params: [p('image', '0', 'object', ['12', 12, null]),
        p('image.width', '0.width', 'count', [NaN, Infinity, '4', 1.5, 0, 1e12]),
        p('image.height', '0.height', 'count', [NaN, '4', 0, 3]),
          p('image.rgb', '0.rgb', 'numbers', ['12', 12, null, [1, 2, 3]]),
        p('patchSize', '1', 'count', [NaN, Infinity, '2', 1.5, 0, 1e12])],
    },
    splitByPhoto: {
      args: () => [['a', 'b', 'c'], 0.3],
      params: [p('ids', '0', 'object', ['12', 12, null]), p('ids[1]', '0.1', 'string', [12, null]),
        p('testFraction', '1', 'probability')],
      cases: [c('repeated ids', 'ids', () => [['a', 'a'], 0.5])],
    },
    assembleSplits: {
      args: () => [[{ id: 'a', grid: grid() }], new Map([['a', 'train']]), 2],
      params: [p('photos', '0', 'object', ['12', 12, null]), p('split', '1', 'object', ['12', 12, null, {}]),
        p('patchSize', '2', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12])],
      cases: [c('a photo without a split', 'photo a', () => [[{ id: 'a', grid: grid() }], new Map(), 2]),
        c('patches of another size', 'patchSize', () => [[{ id: 'a', grid: grid() }], new Map([['a', 'train']]), 1])],
    },
    photoHash: { args: () => ['a'], params: [p('id', '0', 'string')] },
    decodeWithPil: {
      skipValid: 'test/unit/data-photos.test.ts decodes real photographs',
      args: () => [`${NOWHERE}/a.jpg`, 64],
      params: [p('path', '0', 'string', [12, null]),
        p('shortSide', '1', 'count', [NaN, Infinity, '64', 1.5, -1, 1e12])],
    },
    selectPaths: {
      args: () => [{ package: 'p', include: ['*.jpg'] }, ['a.jpg', 'b.png']],
      params: [p('source', '0', 'object', ['12', 12, null]), p('source.include', '0.include', 'object', ['12', 12]),
        p('paths', '1', 'object', ['12', 12, null]),
        p('paths[0]', '1.0', 'string', [12, null])],
    },
    globToRegExp: { args: () => ['*.jpg'], params: [p('glob', '0', 'string')] },
    licenceFor: { args: () => [DEP5, '/usr/share/a.jpg'],
      params: [p('copyrightText', '0', 'string'), p('installedPath', '1', 'string')] },
    parseDep5: { args: () => [DEP5], params: [p('text', '0', 'string')] },
  },
  noNumericInput: {
    clearMnistCache: 'takes no arguments',
    mnistDir: 'takes no arguments',
    mnistStatus: 'takes no arguments (doctor check)',
    fashionMnistStatus: 'takes no arguments (doctor check)',
    pilAvailable: 'takes no arguments (doctor check)',
    dataStatus: 'takes no arguments (doctor check)',
    datasetOf: "an image source's name ('photos' or a dataset name)",
  },
  constants: ['FASHION_MNIST_CLASSES', 'FASHION_MNIST_DIR', 'FASHION_MNIST_FIX', 'MNIST_COUNTS', 'MNIST_FIX',
    'PHOTO_SET_FIX', 'PHOTO_SOURCES', 'PIL_FIX', 'DATASET_NAMES', 'DATASET_LAYOUTS', 'DATA_DIR_ENV', 'MAX_IMAGE_SIZE',
    'DATASET_SUBSET_SEED', 'IMAGE_SOURCES', 'PAPER_DATASETS'],
};
