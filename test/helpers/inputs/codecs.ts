/** Bad-input rows for semcom-workbook/codecs (see table.ts). Valid calls run the codec programs on 16×16 images. */
import { Rng } from '../../../lib/core/index.js';
import { p, c, type EntryTable, type Param } from './table.js';

const W = 16;
const pix = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 100);
const image = (w = W, h = W) => ({ data: pix(w * h * 3), width: w, height: h });
const IMG: readonly unknown[] = ['12', 12, null, {}, { data: [0.5, 0.5, 0.5], width: 1, height: 1 }];
const img = (name: string, at: string): Param[] => [
  p(name, at, 'object', IMG), p(`${name}.data`, `${at}.data.5`, 'finiteElement', [NaN, Infinity, 1.5, -0.5]),
  p(`${name}.width`, `${at}.width`, 'count', [NaN, Infinity, '16', 1.5, 0, 1e12]),
    p(`${name}.height`, `${at}.height`, 'count', [NaN, '16', 0, 15]),
];
const plane = (w: number, h: number): Float32Array => pix(w * h).map((v) => v * 255);
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
const BYTES: readonly unknown[] = ['12', 12, null, [1, 2, 3]];
const size = (at: string, name: string): Param => p(name, at, 'count', [NaN, Infinity, '16', 1.5, 0, -1, 1e12]);
const rng = (): Rng => new Rng(3);
const PPM = (): Uint8Array => Uint8Array.from([...Buffer.from('P6\n2 1\n255\n', 'ascii'), 1, 2, 3, 4, 5, 6]);
const linkOpts = (extra: Record<string, unknown> = {}) => ({ snrDb: 30, rng: rng(), ...extra });
const link = (at: string): Param[] => [
  p('options', at, 'object', ['12', 12, null]), p('snrDb', `${at}.snrDb`, 'real'), p('rng', `${at}.rng`, 'rng'),
  p('n', `${at}.n`, 'integer', [NaN, '648', 600]), p('M', `${at}.M`, 'integer', [NaN, '64', 32]),
  p('blockLength', `${at}.blockLength`, 'count', [NaN, '1', 1.5, 0]),
];

const qrows = (): Float64Array => Float64Array.from({ length: 12 }, (_, i) => ((i * 7) % 5) - 2);
const quantizer = () => ({ dim: 3, bits: 2, lo: Float64Array.of(-3, -3, -3), hi: Float64Array.of(3, 3, 3) });

export const table: EntryTable = {
  rows: {
    fitScalarQuantizer: {
      args: () => [qrows(), 3, { bits: 2 }],
      params: [p('rows', '0', 'numbers'), p('rows', '0.4', 'finiteElement'), p('dim', '1', 'count'),
        p('options', '2', 'object', ['12', 12, null]), p('bits', '2.bits', 'integer', [NaN, '2', 1.5, 0, 25]),
        p('spread', '2.spread', 'positive')],
      cases: [c('rows not a whole number of vectors', 'rows', () => [qrows().slice(0, 11), 3, { bits: 2 }]),
        c('one vector only', 'rows', () => [qrows().slice(0, 3), 3, { bits: 2 }])],
    },
    scalarQuantize: {
      args: () => [quantizer(), qrows()],
      params: [p('q', '0', 'object', ['12', 12, null]), p('q.bits', '0.bits', 'integer', [NaN, '2', 0, 25]),
        p('q.dim', '0.dim', 'count'), p('rows', '1', 'numbers'), p('rows', '1.2', 'finiteElement')],
      cases: [c('ranges of the wrong length', 'q.lo', () => [{ ...quantizer(), lo: Float64Array.of(0) }, qrows()])],
    },
    assertRgbImage: { args: () => ['img', image()], params: img('img', '1') },
    imageAt: {
      args: () => [{ x: pix(2 * 4 * 4 * 3), width: 4, height: 4 }, 1],
      params: [p('set', '0', 'object', ['12', 12, null]), p('set.x', '0.x', 'numbers', ['12', [0.5]]),
        size('0.width', 'set.width'),
        p('i', '1', 'integer', [NaN, Infinity, '1', 1.5, -1, 2])],
      cases: [c('x not a whole number of images', 'set.x', () => [{ x: pix(50), width: 4, height: 4 }, 0])],
    },
    toRgb8: { args: () => [image()], params: img('img', '0') },
    fromRgb8: {
      args: () => [bytes(12), 2, 2],
      params: [p('rgb', '0', 'numbers', BYTES), size('1', 'width'), size('2', 'height')],
      cases: [c('too few bytes', 'rgb', () => [bytes(11), 2, 2])],
    },
    solidImage: {
      args: () => [4, 4, [0.2, 0.4, 0.6]],
      params: [size('0', 'width'), size('1', 'height'), p('colour', '2', 'numbers', ['12', 12, null, [0.5, 0.5]]),
        p('colour', '2.1', 'probability', [NaN, Infinity, '0.5', -0.1, 1.5])],
      cases: [c('width × height beyond the limit', 'width', () => [2 ** 14, 2 ** 14, [0.5, 0.5, 0.5]])],
    },
    meanColour: {
      args: () => [pix(12)],
      params: [p('x', '0', 'numbers', ['12', 12, null, [0.5, 0.5, 0.5]]),
        p('x', '0.4', 'finiteElement', [NaN, Infinity, 1.5])],
      cases: [c('not a multiple of 3', 'x', () => [pix(4)]), c('empty', 'x', () => [new Float32Array(0)])],
    },
    rgbToYcbcr: { args: () => [image(4, 4)], params: img('img', '0') },
    ycbcrToRgb: {
      args: () => [{ y: plane(4, 4), cb: plane(4, 4), cr: plane(4, 4), width: 4, height: 4 }],
      params: [p('planes', '0', 'object', ['12', 12, null]), p('planes.y', '0.y', 'numbers', ['12', [1, 2]]),
        p('planes.cb', '0.cb.3', 'finiteElement'),
        size('0.width', 'planes.width')],
      cases: [c('planes of the wrong size', 'planes.y',
        () => [{ y: plane(4, 3), cb: plane(4, 4), cr: plane(4, 4), width: 4, height: 4 }])],
    },
    downsample2x2: {
      args: () => [plane(4, 4), 4, 4],
      params: [p('plane', '0', 'numbers', ['12', 12, null, [1, 2, 3, 4]]), p('plane', '0.2', 'finiteElement'),
        size('1', 'width'), size('2', 'height')],
      cases: [c('odd width', 'width', () => [plane(3, 4), 3, 4]),
        c('plane of the wrong size', 'plane', () => [plane(4, 3), 4, 4])],
    },
    upsample2x2: {
      args: () => [plane(2, 2), 4, 4],
      params: [p('plane', '0', 'numbers', ['12', 12, null]), p('plane', '0.1', 'finiteElement'), size('1', 'width'),
        size('2', 'height')],
      cases: [c('odd height', 'height', () => [plane(2, 2), 4, 3]),
        c('plane of the wrong size', 'plane', () => [plane(4, 4), 4, 4])],
    },
    toPlanarYuv: {
      args: () => [image(4, 4), '420'],
      params: [...img('img', '0'), p('chroma', '1', 'string', ['422', 420, null])],
      cases: [c('odd size for 4:2:0', 'img', () => [image(3, 4), '420'])],
    },
    fromPlanarYuv: {
      args: () => [bytes(24), 4, 4, '420'],
      params: [p('yuv', '0', 'numbers', BYTES), size('1', 'width'), size('2', 'height'),
        p('chroma', '3', 'string', ['422', 420, null])],
      cases: [c('too few bytes', 'yuv', () => [bytes(23), 4, 4, '420']),
        c('odd size for 4:2:0', 'width', () => [bytes(18), 3, 4, '420'])],
    },
    runTool: {
      args: () => ['cjpeg', ['-quality', '50'],
        Uint8Array.from(Buffer.concat([Buffer.from('P6\n1 1\n255\n'), Buffer.from([1, 2, 3])]))],
      params: [p('tool', '0', 'string', ['rm', 12, null, 'cjpeg2']),
        p('args', '1', 'object', ['12', 12, null, [1, 2]]), p('input', '2', 'numbers', ['12', 12, [1]])],
    },
    withTempDir: { args: () => [async () => 1], params: [p('fn', '0', 'function')] },
    parsePpm: {
      args: () => [PPM()],
      params: [p('buf', '0', 'numbers', BYTES)],
      cases: [c('not a PPM', 'buf', () => [bytes(20)]), c('a truncated PPM', 'buf', () => [PPM().subarray(0, 13)])],
    },
    splitJpeg: { args: () => [Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])],
      skipValid: 'a real JPEG is split by test/unit/codecs-image.test.ts',
      params: [p('bytes', '0', 'numbers', BYTES)], cases: [c('not a JPEG', 'bytes', () => [bytes(20)])] },
    jpegFixedHeader: {
      args: () => [16, 16, 50, '444'],
      params: [size('0', 'width'), size('1', 'height'),
        p('quality', '2', 'integer', [NaN, Infinity, '50', 1.5, 0, 101]),
        p('chroma', '3', 'string', ['422', 444, null])],
    },
    encodeJpeg: {
      args: () => [image(), { quality: 50 }],
      params: [...img('img', '0'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('quality', '1.quality', 'integer', [NaN, Infinity, '50', 1.5, 0, 101]),
        p('chroma', '1.chroma', 'string', ['422', 420])],
    },
    decodeJpeg: { skipValid: 'test/unit/codecs-image.test.ts decodes real JPEGs', args: () => [bytes(4)],
      params: [p('bytes', '0', 'numbers', BYTES)] },
    decodeJpegPayload: {
      skipValid: 'test/unit/codecs-image.test.ts decodes real payloads',
      args: () => [bytes(10), { width: 16, height: 16, quality: 50 }],
      params: [p('payload', '0', 'numbers', BYTES), p('setting', '1', 'object', ['12', 12, null]),
        size('1.width', 'width'),
        p('quality', '1.quality', 'integer', [NaN, '50', 0, 101])],
    },
    splitAnnexB: {
      args: () => [Uint8Array.from([0, 0, 1, 0x40, 1, 0, 0, 1, 0x42, 1])],
      params: [p('stream', '0', 'numbers', BYTES)], cases: [c('no start code', 'stream', () => [bytes(3).fill(5)])],
    },
    hevcFixedHeader: {
      args: () => [16, 16, { qp: 30, preset: 'medium' }],
      params: [p('width', '0', 'count', [NaN, Infinity, '16', 1.5, 8, 15, 1e12]),
        p('height', '1', 'count', [NaN, '16', 1.5, 8, 1e12]),
        p('options', '2', 'object', ['12', 12, null, undefined]), p('qp', '2.qp', 'integer', [NaN, '30', 1.5, -1, 52]),
        p('preset', '2.preset', 'string', ['fast', 12]), p('tune', '2.tune', 'string', ['grain', 12]),
          p('chroma', '2.chroma', 'string', ['422'])],
    },
    encodeHevcIntra: {
      args: () => [image(), { qp: 30, preset: 'medium' }],
      params: [...img('img', '0'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('qp', '1.qp', 'integer', [NaN, Infinity, '30', 1.5, -1, 52])],
    },
    decodeHevc: { skipValid: 'test/unit/codecs-image.test.ts decodes real streams', args: () => [bytes(8)],
      params: [p('bytes', '0', 'numbers', BYTES)] },
    decodeHevcPayload: {
      skipValid: 'test/unit/codecs-image.test.ts decodes real payloads',
      args: () => [bytes(10), { width: 16, height: 16, qp: 30, preset: 'medium' }],
      params: [p('payload', '0', 'numbers', BYTES), p('setting', '1', 'object', ['12', 12, null]),
        size('1.width', 'width'),
        p('qp', '1.qp', 'integer', [NaN, '30', -1, 52])],
    },
    encodeWith: {
      args: () => ['jpeg', image(), 50, {}],
      params: [p('codec', '0', 'string', ['png', 12, null]), ...img('img', '1'),
        p('setting', '2', 'integer', [NaN, Infinity, '50', 1.5, 0, 101]),
        p('options', '3', 'object', ['12', 12, null])],
      cases: [c('a QP beyond 51', 'setting', () => ['hevc', image(), 60, {}])],
    },
    decodeEncoded: {
      skipValid: 'test/unit/codecs-image.test.ts decodes real encodings',
      args: () => [{ codec: 'jpeg', bytes: bytes(4), payload: bytes(2) }],
      params: [p('enc', '0', 'object', ['12', 12, null]), p('enc.codec', '0.codec', 'string', ['png', 12]),
        p('enc', '0.bytes', 'object', ['12', null])],
    },
    bitsOf: {
      args: () => [{ codec: 'jpeg', bytes: bytes(4), payload: bytes(2), payloadBits: 16, totalBits: 32 }, 'payload'],
      params: [p('enc', '0', 'object', ['12', 12, null]), p('measure', '1', 'string', ['bytes', 12, null])],
    },
    atBudget: {
      args: () => ['jpeg', image(), 600, { measure: 'payload' }],
      params: [p('codec', '0', 'string', ['png', 12]), ...img('img', '1'), p('budgetBits', '2', 'nonNegative'),
        p('options', '3', 'object', ['12', 12, null]), p('measure', '3.measure', 'string', ['bytes', 12]),
        p('fallbackColour', '3.fallbackColour', 'numbers', ['12', 12, null, [0.5, 0.5], [2, 0, 0], [NaN, 0, 0]])],
    },
    transmitSeparate: {
      args: () => [Uint8Array.from({ length: 100 }, (_, i) => i % 2), linkOpts()],
      params: [p('payloadBits', '0', 'object', ['12', 12, null, [0, 1]]), ...link('1'),
        p('maxIterations', '1.ldpcOptions', 'object', [{ maxIterations: 1e12 }])],
    },
    bytesToBits: { args: () => [bytes(3)], params: [p('indices', '0', 'numbers', ['12', 12, null])],
      cases: [c('a byte of 256', 'indices', () => [[256]])] },
    bitsToBytes: {
      args: () => [Uint8Array.from({ length: 16 }, (_, i) => i % 2)],
      params: [p('bits', '0', 'numbers', ['12', 12, null, [0, 1]])],
        cases: [c('not a multiple of 8 bits', 'bits', () => [new Uint8Array(7)])],
    },
    simulateCodewordErrorRate: {
      args: () => [30, { rng: rng(), targetErrors: 1, maxCodewords: 4, batch: 2 }],
      params: [p('snrDb', '0', 'real'), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('rng', '1.rng', 'rng'),
        p('targetErrors', '1.targetErrors', 'count', [NaN, Infinity, '1', 1.5, 0, 1e12]),
          p('maxCodewords', '1.maxCodewords', 'count', [NaN, Infinity, 0, 1e12]),
        p('batch', '1.batch', 'count', [NaN, Infinity, 0, 1.5, 1e12])],
    },
    separateBaseline: {
      args: () => [[image()], { codec: 'jpeg', budgetBits: 2000, snrsDb: [30], rng: rng() }],
      params: [p('images', '0', 'object', ['12', 12, null, []]),
        p('images[0]', '0.0', 'object', ['12', null, { data: [1], width: 1, height: 1 }]),
        p('options', '1', 'object', ['12', 12, null, undefined]), p('codec', '1.codec', 'string', ['png', 12]),
        p('budgetBits', '1.budgetBits', 'positive'), p('snrsDb', '1.snrsDb', 'numbers', ['12', 12, null, []]),
          p('snrsDb', '1.snrsDb.0', 'real'),
        p('rng', '1.rng', 'rng'), p('mode', '1.mode', 'string', ['fast', 12]),
          p('concurrency', '1.concurrency', 'count', [NaN, Infinity, 0, 1.5, 1e12]),
        p('onProgress', '1.onProgress', 'function'), p('maxCodewords', '1', 'object',
          [{ codec: 'jpeg', budgetBits: 2000, snrsDb: [30], rng: rng(), mode: 'codeword-rate', maxCodewords: 1e12 }])],
      cases: [c('images of different sizes', 'images',
        () => [[image(16, 16), image(16, 18)], { codec: 'jpeg', budgetBits: 2000, snrsDb: [30], rng: rng() }])],
    },
    receivedImage: {
      args: () => [{ perSnr: [{ success: new Uint8Array([1]) }], source: [{ decoded: image() }], fallback: image() },
        0, 0],
      params: [p('result', '0', 'object', ['12', 12, null, {}]),
        p('snrIndex', '1', 'integer', [NaN, Infinity, '0', 1.5, -1, 1]),
        p('i', '2', 'integer', [NaN, '0', 1.5, -1, 1])],
    },
    receivedBatch: {
      args: () => [{ perSnr: [{ success: new Uint8Array([1]) }], source: [{ decoded: image() }], fallback: image(),
        width: W, height: W }, 0],
      params: [p('result', '0', 'object', ['12', 12, null, {}]),
        p('snrIndex', '1', 'integer', [NaN, Infinity, '0', 1.5, -1, 1])],
    },
    sourceBitBudget: {
      args: () => [100, { M: 16, codeRate: 0.5, codewordLength: 648 }],
      params: [p('channelUses', '0', 'nonNegative'), p('shape', '1', 'object', ['12', 12, null]),
        p('M', '1.M', 'integer', [NaN, '16', 8]),
        p('codeRate', '1.codeRate', 'probability', [NaN, '0.5', 0, 1.5]),
          p('uses', '1.uses', 'string', ['imaginary', 12]),
        p('codewordLength', '1.codewordLength', 'count', [NaN, Infinity, '648', 1.5, 0, 1e12])],
    },
    channelUsesFor: {
      args: () => [1000, { codewordLength: 648 }],
      params: [p('sourceBits', '0', 'integer', [NaN, Infinity, '1000', 1.5, -1]),
        p('shape', '1', 'object', ['12', 12, null]),
        p('codewordLength', '1.codewordLength', 'count', [NaN, Infinity, '648', 1.5, 0, 1e12]),
          p('codeRate', '1.codeRate', 'probability', [NaN, 0, 1.5])],
      cases: [c('less than one information bit per codeword', 'codewordLength',
        () => [10, { codewordLength: 1, codeRate: 0.25 }])],
    },
    capacityBitBudget: {
      args: () => [100, 10, 'real'],
      params: [p('channelUses', '0', 'nonNegative'), p('snrDb', '1', 'real'),
        p('uses', '2', 'string', ['imaginary', 12, null])],
    },
  },
  noNumericInput: { codecToolStatus: 'takes no arguments (which codec programs are installed)' },
  constants: ['CHROMA_FORMATS', 'CODEC_NAMES', 'CODEC_TOOLS', 'DEFAULT_FALLBACK_COLOUR', 'HEVC_MIN_SIZE',
    'SETTING_RANGE', 'X265_PRESETS',
    'MAX_CODEWORDS', 'MAX_CODEWORD_BATCH', 'MAX_QUANTIZER_BITS'],
};
