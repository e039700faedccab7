/**
 * A deep-feature perceptual distance built on the only ImageNet-derived CNN that ships in a reachable package:
 * the Keras MobileNetV2 (α = 1, 224×224, uint8-quantised weights) bundled with npm `nsfwjs@4.4.0`, whose ImageNet
 * backbone was fine-tuned there for NSFW classification. The recipe is LPIPS's "baseline" form (Zhang et al. 2018):
 * unit-normalise each layer's activations across channels at every spatial position, squared difference summed over
 * channels and averaged over space — then an equal-weight mean over five layers. There are NO learned LPIPS linear
 * weights and no calibration against human judgements: it is "MobileNetV2 feature distance (uncalibrated, not LPIPS)".
 *
 * tfjs is imported lazily (from lib/nn, the project's one tfjs instance) so that PSNR/SSIM users never load it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertSize } from '../core/index.js';
import type { tf as TfNamespace } from '../nn/index.js';
import { assertFinitePixels, assertPixels, assertSameLength, resolveShape, type Pixels } from './image.js';

type Tf = typeof TfNamespace;

export const PERCEPTUAL_METRIC_NAME = 'MobileNetV2 feature distance (uncalibrated, not LPIPS)';
/** The npm package (and exact version) whose bundled MobileNetV2 provides the features. */
export const PERCEPTUAL_MODEL_PACKAGE = 'nsfwjs@4.4.0';
/** The model's fixed input side; images are resized to it bilinearly. */
export const PERCEPTUAL_INPUT_SIZE = 224;
/**
 * Keras layer names, shallow to deep (at 224×224: 112²×96, 56²×144, 28²×192, 14²×576, 7²×320). The same five
 * MobileNetV2 taps as the encoder of TensorFlow's image-segmentation (U-Net) tutorial; all but the last are ReLU6
 * outputs, as LPIPS taps post-ReLU activations.
 */
export const PERCEPTUAL_LAYERS: readonly string[] = [
  'block_1_expand_relu', 'block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu', 'block_16_project',
];

export interface PerceptualShape {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB only. */
  readonly channels: 3;
}

export interface PerceptualBatchOptions extends PerceptualShape {
  /** Number of image pairs in the flat N×H×W×3 buffers. */
  readonly n: number;
}

export interface PerceptualModelInfo {
  readonly metric: string;
  readonly package: string;
  readonly inputSize: number;
  readonly layers: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

/** Pairs per forward pass: bounds memory (block_1 activations are 112·112·96 floats = 4.8 MB per image). */
const CHUNK = 8;
/** LPIPS's normalize_tensor eps: a position whose activations are all zero stays a zero vector. */
const NORM_EPS = 1e-10;

interface Loaded {
  readonly tf: Tf;
  /** The whole classifier (owns the head's weights too) and the five-output view onto its layers. */
  readonly full: TfNamespace.LayersModel;
  readonly features: TfNamespace.LayersModel;
}

let cached: Promise<Loaded> | null = null;

/** nsfwjs ships its model as CommonJS modules: model.min.js exports the model.json object, each shard a base64 string. */
function modelFiles(): { dir: string; version: string; require: NodeJS.Require } {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('nsfwjs'); // <pkg>/dist/cjs/index.js
  } catch {
    throw new Error(`${PERCEPTUAL_METRIC_NAME} needs the npm package ${PERCEPTUAL_MODEL_PACKAGE} (its bundled MobileNetV2). Fix: npm install ${PERCEPTUAL_MODEL_PACKAGE}`);
  }
  const root = join(dirname(entry), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: join(root, 'dist', 'models', 'mobilenet_v2'), version, require };
}

/** A tf.io handler over the files on disk: no fetch, no network, no tfjs-node file:// handler. */
function diskHandler(tf: Tf): TfNamespace.io.IOHandler {
  const { dir, version, require } = modelFiles();
  if (`nsfwjs@${version}` !== PERCEPTUAL_MODEL_PACKAGE) {
    throw new Error(`${PERCEPTUAL_METRIC_NAME} is pinned to ${PERCEPTUAL_MODEL_PACKAGE}, found nsfwjs@${version}: its model may differ. Fix: npm install ${PERCEPTUAL_MODEL_PACKAGE}`);
  }
  return {
    load: async () => {
      const json = require(join(dir, 'model.min.js')) as { modelTopology: object; weightsManifest: TfNamespace.io.WeightsManifestConfig };
      const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => {
        const b64 = require(join(dir, `${p}.min.js`)) as string;
        const buf = Buffer.from(b64, 'base64');
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      });
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: tf.io.concatenateArrayBuffers(shards),
      };
    },
  };
}

async function load(): Promise<Loaded> {
  const nn = await import('../nn/index.js');
  // A distance needs a fast backend: pick one (wasm here) unless the caller already did.
  if (nn.backendChoice() === null) await nn.initBackend();
  const { tf } = nn;
  const full = await tf.loadLayersModel(diskHandler(tf));
  const features = tf.model({ inputs: full.inputs, outputs: PERCEPTUAL_LAYERS.map((n) => full.getLayer(n).output as TfNamespace.SymbolicTensor) });
  return { tf, full, features };
}

/** Loads (once per process) and caches the feature network. */
function model(): Promise<Loaded> {
  if (!cached) {
    cached = load();
    cached.catch(() => { cached = null; }); // a failed load (package missing) may be retried after a fix
  }
  return cached;
}

/** Frees the cached network (its weights stay on the tfjs backend otherwise). */
export async function releasePerceptualModel(): Promise<void> {
  const c = cached;
  cached = null;
  if (!c) return;
  // The feature view shares the classifier's layers: disposing the classifier frees every weight once.
  (await c).full.dispose();
}

/** What the metric is computed from, for notebooks and provenance. Loads the model. */
export async function perceptualModelInfo(): Promise<PerceptualModelInfo> {
  const { features } = await model();
  const shapes = features.outputs.map((o) => o.shape.slice(1) as number[]);
  return {
    metric: PERCEPTUAL_METRIC_NAME, package: PERCEPTUAL_MODEL_PACKAGE, inputSize: PERCEPTUAL_INPUT_SIZE,
    layers: PERCEPTUAL_LAYERS.map((name, i) => ({ name, shape: shapes[i] })),
  };
}

function checkRgb01(name: string, a: Pixels): void {
  assertFinitePixels(name, a);
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0 || a[i] > 1) throw new RangeError(`${name}[${i}] must be in [0, 1] (RGB scaled to [0,1]), got ${a[i]}`);
  }
}

function checkInputs(a: Pixels, b: Pixels, shape: PerceptualShape, n: number): void {
  assertPixels('a', a);
  assertPixels('b', b);
  assertSameLength(a, b);
  if (shape === null || typeof shape !== 'object') throw new TypeError('options must be an object { width, height, channels: 3 }');
  if (shape.channels !== 3) throw new RangeError(`channels must be 3 (interleaved RGB), got ${String(shape.channels)}`);
  resolveShape(shape, a.length, n);
  checkRgb01('a', a);
  checkRgb01('b', b);
}

/** Unit-normalised activations per layer for images [k, H, W, 3] → list of [k, h, w, c]. */
function layerFeatures(tf: Tf, features: TfNamespace.LayersModel, x: TfNamespace.Tensor4D): TfNamespace.Tensor4D[] {
  const resized = tf.image.resizeBilinear(x, [PERCEPTUAL_INPUT_SIZE, PERCEPTUAL_INPUT_SIZE], false, true);
  const outs = features.predict(resized) as TfNamespace.Tensor4D[];
  return outs.map((f) => tf.div(f, tf.add(tf.sqrt(tf.sum(tf.square(f), -1, true)), NORM_EPS)));
}

/** Per-pair distances of one chunk. a and b go through separate, identical passes so that d(x, x) is exactly 0. */
function chunkDistances(tf: Tf, features: TfNamespace.LayersModel, a: TfNamespace.Tensor4D, b: TfNamespace.Tensor4D): Float32Array {
  return tf.tidy(() => {
    const fa = layerFeatures(tf, features, a);
    const fb = layerFeatures(tf, features, b);
    // Per layer: Σ_c (Δ)² averaged over h, w → [k]; then the equal-weight mean over layers.
    const perLayer = fa.map((f, l) => tf.mean(tf.sum(tf.square(tf.sub(f, fb[l])), -1), [1, 2]));
    return tf.div(tf.addN(perLayer), perLayer.length).dataSync() as Float32Array;
  });
}

async function distances(a: Pixels, b: Pixels, shape: PerceptualShape, n: number): Promise<Float64Array> {
  const { tf, features } = await model();
  const { width, height } = shape;
  const size = width * height * 3;
  const out = new Float64Array(n);
  for (let i0 = 0; i0 < n; i0 += CHUNK) {
    const k = Math.min(CHUNK, n - i0);
    const slice = (x: Pixels) => tf.tensor4d(Float32Array.from({ length: k * size }, (_, j) => x[i0 * size + j]), [k, height, width, 3]);
    const ta = slice(a), tb = slice(b);
    try {
      out.set(chunkDistances(tf, features, ta, tb), i0);
    } finally {
      ta.dispose();
      tb.dispose();
    }
  }
  return out;
}

/**
 * MobileNetV2 feature distance (uncalibrated, not LPIPS) between two interleaved H×W×3 images in [0, 1].
 * 0 for identical images, symmetric, ≥ 0; each layer term lies in [0, 4] (distance² of unit vectors), so the
 * result does too. Comparable only with itself (same package, layers and input size), never with published LPIPS.
 */
export async function perceptualDistance(a: Pixels, b: Pixels, shape: PerceptualShape): Promise<number> {
  checkInputs(a, b, shape, 1);
  return (await distances(a, b, shape, 1))[0];
}

/** perceptualDistance of each pair in two flat N×H×W×3 batches. */
export async function perceptualDistanceBatch(a: Pixels, b: Pixels, options: PerceptualBatchOptions): Promise<Float64Array> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object { n, width, height, channels: 3 }');
  assertSize('n', options.n, 1);
  checkInputs(a, b, options, options.n);
  return distances(a, b, options, options.n);
}
