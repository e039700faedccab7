/**
 * Weights on disk without tfjs-node: `<path>` is a JSON manifest (tfjs weight specs + our metadata) and
 * `<path minus .json>.bin` the concatenated little-endian tensor data (tf.io.encodeWeights' layout). The binary is
 * written first and the manifest last, both atomically, and the manifest records the binary's size and sha256:
 * a crash leaves either the old pair or a detectable mismatch, never a silently wrong model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic, writeJsonAtomic } from '../core/index.js';
import { tf } from './tf.js';

const FORMAT = 'semcom-weights/1';

interface Manifest {
  format: string;
  binary: string;
  bytes: number;
  sha256: string;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** Present when a tf.LayersModel was saved. */
  modelTopology?: unknown;
  meta?: unknown;
}

function binaryPath(path: string): string {
  return `${path.endsWith('.json') ? path.slice(0, -5) : path}.bin`;
}

function toBytes(data: tf.io.WeightData): Uint8Array {
  const buf = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  return new Uint8Array(buf);
}

function writePair(path: string, bytes: Uint8Array, specs: tf.io.WeightsManifestEntry[], extra: Partial<Manifest>): void {
  const bin = binaryPath(path);
  writeFileAtomic(bin, bytes);
  const manifest: Manifest = {
    format: FORMAT, binary: bin.split(/[\\/]/).pop() as string, bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'), weightSpecs: specs, ...extra,
  };
  writeJsonAtomic(path, manifest);
}

/**
 * Saves named tensors (e.g. a Params dictionary) or a tf.LayersModel. `meta` (any JSON) is stored in the manifest.
 */
export async function saveWeights(path: string, source: Record<string, tf.Tensor> | tf.LayersModel, meta?: unknown): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  if (source === null || typeof source !== 'object') {
    throw new TypeError('source must be named tensors or a tf.LayersModel');
  }
  if (source instanceof tf.LayersModel) {
    await source.save(tf.io.withSaveHandler(async (a) => {
      writePair(path, toBytes(a.weightData ?? new ArrayBuffer(0)), a.weightSpecs ?? [], { modelTopology: a.modelTopology, meta });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }));
    return;
  }
  const named = Object.entries(source).map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  writePair(path, toBytes(data), specs, { meta });
}

function readPair(path: string): { manifest: Manifest; data: ArrayBuffer } {
  // a number would read a file descriptor
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (manifest.format !== FORMAT) throw new RangeError(`${path}: not a ${FORMAT} manifest (format ${JSON.stringify(manifest.format)})`);
  const bytes = readFileSync(binaryPath(path));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.byteLength !== manifest.bytes || sha !== manifest.sha256) {
    throw new Error(`${binaryPath(path)} does not match its manifest (size or sha256): interrupted write?`);
  }
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { manifest, data };
}

/** Loads named tensors saved by saveWeights (the caller owns and disposes them), with the stored `meta`. */
export function loadWeights(path: string): { tensors: Record<string, tf.Tensor>; meta: unknown } {
  const { manifest, data } = readPair(path);
  return { tensors: tf.io.decodeWeights(data, manifest.weightSpecs), meta: manifest.meta };
}

/** Assigns saved tensors into existing variables; every variable must be present with the same shape. */
export function loadWeightsInto(path: string, vars: Record<string, tf.Variable>): unknown {
  if (vars === null || typeof vars !== 'object') throw new TypeError('vars must be a record of tf.Variables');
  const { tensors, meta } = loadWeights(path);
  try {
    for (const [k, v] of Object.entries(vars)) {
      const t = tensors[k];
      if (!t) throw new RangeError(`${path} has no tensor ${JSON.stringify(k)}`);
      if (t.shape.join() !== v.shape.join()) throw new RangeError(`${path}: ${k} has shape [${t.shape}], expected [${v.shape}]`);
      v.assign(t);
    }
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
  return meta;
}

/** Loads a tf.LayersModel saved by saveWeights. */
export async function loadLayersModel(path: string): Promise<tf.LayersModel> {
  const { manifest, data } = readPair(path);
  if (!manifest.modelTopology) throw new RangeError(`${path} holds named tensors, not a LayersModel`);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: manifest.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: manifest.weightSpecs, weightData: data,
  }));
}
