/**
 * semcom-workbook/codecs — separate source coding baselines: JPEG (libjpeg-turbo) and HEVC intra (x265 +
 * libde265, "BPG-like"), payload bit accounting with known headers, rate matching to a bit budget, and the
 * separate-coding link (802.11n LDPC, Gray 64-QAM, Rayleigh fading) with its all-or-nothing "cliff".
 */
export {
  type RgbImage, type ChromaFormat, type YcbcrPlanes, CHROMA_FORMATS,
  assertRgbImage, imageAt, toRgb8, fromRgb8, solidImage, meanColour,
  rgbToYcbcr, ycbcrToRgb, downsample2x2, upsample2x2, toPlanarYuv, fromPlanarYuv,
} from './image.js';
export { type CodecTool, type ToolCheck, type ToolOutput, CODEC_TOOLS, runTool, withTempDir, codecToolStatus } from './tools.js';
export { type CodecName, type EncodedImage, CODEC_NAMES } from './types.js';
export { type JpegOptions, encodeJpeg, decodeJpeg, decodeJpegPayload, jpegFixedHeader, splitJpeg, parsePpm } from './jpeg.js';
export {
  type HevcOptions, type X265Preset, type X265Tune, type NalUnit, X265_PRESETS, HEVC_MIN_SIZE,
  encodeHevcIntra, decodeHevc, decodeHevcPayload, hevcFixedHeader, splitAnnexB,
} from './hevc.js';
export {
  type BitMeasure, type CodecOptions, type BudgetOptions, type BudgetFit, type BudgetMiss, type BudgetResult,
  SETTING_RANGE, DEFAULT_FALLBACK_COLOUR, encodeWith, decodeEncoded, bitsOf, atBudget,
} from './budget.js';
export {
  type LdpcLength, type SeparateLinkOptions, type SeparateLinkResult, type CodewordErrorRate, type CodewordRateOptions,
  type SeparateMode, type SeparateBaselineOptions, type SeparateSnrResult, type SeparateBaseline,
  MAX_CODEWORDS, MAX_CODEWORD_BATCH, transmitSeparate, bytesToBits, bitsToBytes, simulateCodewordErrorRate,
    separateBaseline, receivedImage, receivedBatch,
} from './separate.js';
export { type ChannelUseKind, type DigitalLinkShape, sourceBitBudget, channelUsesFor, capacityBitBudget } from './bandwidth.js';
export {
  type ScalarQuantizer, type ScalarQuantizerOptions, type ScalarQuantized, MAX_QUANTIZER_BITS, fitScalarQuantizer, scalarQuantize,
} from './quantize.js';
