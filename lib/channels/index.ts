/**
 * semcom-workbook/channels — modems, channels, closed-form BERs, Monte-Carlo BER, 802.11n LDPC and the
 * codebook paper's index link, as small composable functions sharing one seeded Rng.
 */
export { type RngOption, assertBits, indicesToBits, bitsToIndices, randomBits, countBitErrors,
  hammingDistance } from './bits.js';
export { type ComplexArray, complexZeros, assertComplex, averagePower, normalizePower } from './complex.js';
export {
  type ModulationOrder, type LlrMethod, type Constellation, type DemapOptions, type LlrOptions,
  MODULATION_ORDERS, bitsPerSymbol, constellation, modulate, demodulateHard, demodulateLlr, hardDecision,
} from './modem.js';
export {
  type AwgnOptions, type AwgnChannelOptions, type AwgnResult, type FadingOptions, type FadingCoefficientOptions,
    type RayleighOptions,
  type RayleighResult, type Equalised, type BscOptions,
  dbToLinear, noiseVariance, ebNoToEsNo, awgn, rayleighCoefficients, applyFading, rayleigh, equalize, bsc,
} from './channel.js';
export { type BerChannel, erfc, qfunc, bpskBer, qamBer } from './ber.js';
export {
  type BatchOutcome, type BerTrial, type SimulateBerOptions, type BerEstimate,
  MAX_SIMULATED_BITS, MAX_BATCH_BITS, normalQuantile, wilsonInterval, simulateBer,
} from './montecarlo.js';
export {
  type TransitionMatrix, type IndexChannelModel, type BscIndicesOptions, MAX_INDEX_BITS,
  bscIndexTransition, randomLabellingTransition, indexErrorProbability, bscIndices,
} from './bsc-index.js';
export {
  type LdpcAlgorithm, type LdpcDecodeOptions, type LdpcDecodeResult,
  IEEE80211N_R12_BASE, MAX_LIFTING, MAX_BP_ITERATIONS, QcLdpcCode, ieee80211nLdpc,
} from './ldpc.js';
export {
  type LinkChannel, type LinkOptions, type TransmitOptions, type TransmitIndicesOptions, type LinkResult,
    type IndexLinkResult,
  transmitBits, transmitIndices, linkTrial,
} from './chain.js';
