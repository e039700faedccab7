/**
 * lib/nn: tfjs backend choice, missing wasm gradients, functional layers, Adam, weights I/O, training, sweeps.
 *
 * Style: parameters are a flat `Params` record of tf.Variables keyed by dotted names; layers are `init*` functions
 * (add variables) plus pure forward functions. Save/load, optimizer state and checkpoints are name → tensor maps.
 * All randomness comes from lib/core's seeded Rng, passed as the `rng` field of the options of every function that
 * draws (randomNormal, randomUniform, gumbelSoftmax, the init* layers, train), so runs are
 * reproducible and resumable. Call `await initBackend()` once before building tensors; import `tf` from here
 * (one tfjs instance). A notebook prints `describeBackend()`.
 */
export { tf, type Tensor, type Variable, type Scalar } from './tf.js';
export {
  initBackend, loadWasmBackend, describeBackend, backendChoice, BACKEND_NAMES,
  type BackendName, type BackendAttempt, type BackendChoice,
} from './backend.js';
export { registerWasmGradientKernels, conv2dBackpropFilterOps, conv2dBackpropInputOps, unsortedSegmentSumJs } from './wasm-kernels.js';
export {
  matMul, gramMatrix, repeatEachRow, dense, swish, groupNormalize, layerNormalize, type GroupNormOptions, stopGradient,
  straightThrough, randomNormal, randomUniform, reparameterize, hardOneHotStraightThrough, gumbelSoftmax,
  reinforceSurrogate, EmaBaseline, gatherRows, nearestCodewordLookup, type CodewordLookup, vectorQuantize,
  type VectorQuantized, type RandomOptions, type GumbelSoftmaxOptions,
} from './ops.js';
export {
  type Params, addParam, disposeParams, initDense, denseLayer, initConv2d, conv2dLayer, initConvTranspose2d,
  convTranspose2dLayer, upsampleNearest2x, upsampleConvLayer, initGroupNorm, groupNorm, groupNormSwish, initResBlock,
  resBlock, initAttention, attentionBlock, type InitOptions, type DenseInit, type ConvInit, type ResBlockInit,
  type AttentionInit,
} from './layers.js';
export { Adam, type AdamOptions, type AdamState } from './optim.js';
export { saveWeights, loadWeights, loadWeightsInto, loadLayersModel } from './weights.js';
export { canonicalJson, configHash } from './hash.js';
export { makeTrainStep, type TrainStep } from './step.js';
export {
  codeVersion, codeKeyedHash, forgetCodeVersions, importGraph, moduleSpecifiers, type CodeVersion,
} from './code-version.js';
export {
  train, cliProgressBar, checkpointIdentity, MAX_TRAIN_STEPS, type TrainOptions, type TrainResult, type TrainProgress,
  type CheckpointIdentity,
} from './train.js';
export {
  runSweep, runSweepAll, sweepEntryKey, compactDescription, estimateFromOtherCode, type SweepOptions, type SweepOutcome,
  type SweepAllOptions,
} from './sweep.js';
export {
  coordinationFromEnv, parseShard, parseShardCount, shardOf, SweepMissingError, SweepPlanStop, SWEEP_MODES,
  DEFAULT_SHARD_TIMEOUT_S, type PlanEntry, type PlanSweep, type Shard, type SweepCoordination, type SweepMode,
} from './sweep-coord.js';
export { SweepLocks, readSweepLock, lockFileOf, type SweepLockTimes, type SweepLockHolder } from './sweep-lock.js';
export { setCancellationCheck, throwIfCancelled } from './cancel.js';
