/**
 * Run-time backend choice: tfjs-node-gpu > tfjs-node > wasm > cpu, or the one named by `TFJS_BACKEND`.
 *
 * Native packages are loaded with `createRequire` (they are CommonJS, optional, and may be absent). A package
 * only counts when it really registered the native 'tensorflow' backend on OUR tfjs engine: in this project
 * `@tensorflow/tfjs-node` is, under danfojs-node, an npm alias of plain tfjs (package.json `overrides`, so that an
 * offline install works), which registers nothing. `npm install --no-save @tensorflow/tfjs-node@4.22.0` puts the
 * native package at the top of node_modules (the override is scoped to danfojs-node), and it is picked up here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertOneOf } from '../core/index.js';
import { tf } from './tf.js';
import { registerWasmGradientKernels } from './wasm-kernels.js';
import { registerWasmSharedIdentity } from './kernels/wasm-identity.js';
import { registerWasmChannelSum } from './kernels/wasm-channel-sum.js';

const require = createRequire(import.meta.url);

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendAttempt {
  /** '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', 'wasm' or 'cpu'. */
  readonly name: string;
  readonly ok: boolean;
  readonly reason: string;
}

export interface BackendChoice {
  /** The tfjs backend now active. */
  readonly name: BackendName;
  readonly tried: readonly BackendAttempt[];
}

let lastChoice: BackendChoice | null = null;

/** Loads one native package; ok only when it registered 'tensorflow' on this engine. */
function tryNative(pkg: string, require: NodeRequire): BackendAttempt {
  let manifest: { name?: string; version?: string } = { name: pkg };
  try {
    manifest = require(`${pkg}/package.json`) as { name?: string; version?: string };
  } catch (err) {
    // A package whose "exports" hides package.json is still installed: go on and load it.
    if ((err as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return { name: pkg, ok: false, reason: 'not installed' };
  }
  if (manifest.name !== pkg) {
    // An alias (npm:...) of another package: requiring it would only load a second copy of that package.
    return { name: pkg, ok: false, reason: `alias of ${manifest.name}@${manifest.version} without native binding` };
  }
  let mod: { engine?: () => unknown };
  try {
    mod = require(pkg) as { engine?: () => unknown };
  } catch (err) {
    return { name: pkg, ok: false, reason: `failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof mod.engine === 'function' && mod.engine() !== tf.engine()) {
    return { name: pkg, ok: false, reason: 'loaded a different tfjs-core instance (duplicate @tensorflow/tfjs in node_modules)' };
  }
  if (tf.findBackend('tensorflow') == null) {
    return { name: pkg, ok: false, reason: 'loaded, but registered no native "tensorflow" backend' };
  }
  return { name: pkg, ok: true, reason: `native binding ${manifest.version}` };
}

let wasmLoaded = false;

/**
 * Registers the wasm backend (idempotent). Wasm files are read from the package's dist/ folder by file path,
 * threads off: Node ships no wasm threads for tfjs, one process = one core.
 */
export function loadWasmBackend(): void {
  if (wasmLoaded) return;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as {
    setWasmPaths: (prefix: string, usePlatformFetch?: boolean) => void;
  };
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(join(dist, '/'));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmGradientKernels();
  registerWasmSharedIdentity();
  registerWasmChannelSum();
  wasmLoaded = true;
}

async function trySet(name: BackendName): Promise<BackendAttempt> {
  try {
    if (name === 'wasm') loadWasmBackend();
    const ok = await tf.setBackend(name);
    return { name, ok, reason: ok ? 'initialised' : 'setBackend returned false' };
  } catch (err) {
    return { name, ok: false, reason: `failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

export interface BackendOptions {
  /**
   * Resolve the native packages as a module at this path would (default: this library's own place). For tests and
   * for an application that installs tfjs-node beside itself rather than beside this library.
   */
  readonly resolveFrom?: string;
}

/**
 * Picks and activates a backend. `preferred` (or env TFJS_BACKEND) names one of tensorflow|wasm|cpu; it is tried
 * first and the rest of the order follows if it fails. Throws RangeError for an unknown name.
 */
export async function initBackend(preferred?: BackendName, options: BackendOptions = {}): Promise<BackendChoice> {
  if (preferred !== undefined) assertOneOf('preferred', preferred, BACKEND_NAMES);
  const req = options.resolveFrom === undefined ? require : createRequire(options.resolveFrom);
  const wanted = preferred ?? readEnvBackend();
  const order: BackendName[] = wanted ? [wanted, ...BACKEND_NAMES.filter((b) => b !== wanted)] : [...BACKEND_NAMES];
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    if (name === 'tensorflow') {
      const gpu = tryNative('@tensorflow/tfjs-node-gpu', req);
      tried.push(gpu);
      if (!gpu.ok) tried.push(tryNative('@tensorflow/tfjs-node', req));
      if (!tried.some((t) => t.ok)) continue;
    }
    const attempt = await trySet(name);
    tried.push(attempt);
    if (attempt.ok) {
      if (wanted && name !== wanted) console.warn(`tfjs backend ${wanted} unavailable, using ${name}`);
      lastChoice = { name, tried };
      return lastChoice;
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}

function readEnvBackend(): BackendName | undefined {
  const v = process.env.TFJS_BACKEND;
  if (v === undefined || v === '') return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(v)) {
    throw new RangeError(`TFJS_BACKEND must be one of ${BACKEND_NAMES.join('|')}, got ${JSON.stringify(v)}`);
  }
  return v as BackendName;
}

/** The last choice of initBackend, or null before the first call. */
export function backendChoice(): BackendChoice | null {
  return lastChoice;
}

/** One line for notebooks/logs, e.g. "tfjs 4.22.0, backend wasm (tfjs-node-gpu: not installed; tfjs-node: alias ...)". */
export function describeBackend(): string {
  const active = tf.getBackend() ?? 'none';
  const notes = (lastChoice?.tried ?? [])
    .filter((t) => !t.ok && t.name.startsWith('@tensorflow/'))
    .map((t) => `${t.name.replace('@tensorflow/', '')}: ${t.reason}`);
  return `tfjs ${tf.version_core}, backend ${active}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
