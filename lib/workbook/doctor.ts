/** `workbook doctor [--fix]`: check the toolchain and data, print the exact fix for each problem. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { assertFunction, assertObject, describe, projectRoot } from '../core/index.js';
import { NOTEBOOK_FIX, serverVersion } from './notebook-server.js';
import { TFJS_NODE_GPU_NEEDS, checkGpuLibraries, describeGpuLibraries, gatherGpuLibraries } from './gpu-libs.js';
import { CHROMIUM_FIX, ensureKernelspec, findChromium, findJupyterPython, JUPYTER_FIX, tslabBinary } from './toolchain.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** A shell command that fixes it (printed; run by --fix when it is an apt-get line and we are root). */
  fix?: string;
  /** Whether a failure here stops notebooks from running (false: optional, e.g. GPU). */
  required: boolean;
}

export function aptPackages(): string[] {
  const file = join(projectRoot(), 'scripts', 'apt-packages.txt');
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function nodeCheck(): Check {
  const [maj, min] = process.versions.node.split('.').map(Number);
  const ok = maj > 20 || (maj === 20 && min >= 19);
  return { name: 'Node.js', ok, required: true, detail: `v${process.versions.node} (needs >= 20.19 for require() of ES modules in tslab)`, fix: ok ? undefined : 'install Node.js 20.19 or newer' };
}

function jupyterCheck(): Check {
  const py = findJupyterPython();
  return py
    ? { name: 'Jupyter (nbconvert)', ok: true, required: true, detail: `${py.python}: nbconvert ${py.nbconvert}, nbclient ${py.nbclient}` }
    : { name: 'Jupyter (nbconvert)', ok: false, required: true, detail: 'no Python with nbconvert and nbclient', fix: JUPYTER_FIX };
}

/** `workbook notebook` serves the notebooks with the classic Notebook (required); JupyterLab is optional. */
function notebookServerChecks(): Check[] {
  const name = 'Jupyter Notebook (workbook notebook)';
  const py = findJupyterPython();
  if (!py) {
    return [{ name, ok: false, required: true, detail: 'no Python with Jupyter', fix: JUPYTER_FIX }];
  }
  const classic = serverVersion('notebook', py.python);
  const lab = serverVersion('lab', py.python);
  return [
    classic
      ? { name, ok: true, required: true, detail: `${py.python}: notebook ${classic}` }
      : { name, ok: false, required: true, detail: `${py.python} cannot import notebook`, fix: NOTEBOOK_FIX },
    {
      name: 'JupyterLab (optional, workbook lab)', ok: lab !== null, required: false,
      detail: lab ? `jupyterlab ${lab}` : 'not installed (not in Debian): `workbook notebook` serves the classic UI',
    },
  ];
}

function kernelCheck(): Check {
  if (!existsSync(tslabBinary())) return { name: 'tslab kernel', ok: false, required: true, detail: 'tslab is not installed', fix: 'npm ci' };
  try {
    const path = ensureKernelspec();
    return { name: 'tslab kernel', ok: true, required: true, detail: `kernelspec ${path} → ${tslabBinary()}` };
  } catch (err) {
    return { name: 'tslab kernel', ok: false, required: true, detail: (err as Error).message, fix: 'npm ci' };
  }
}

function chromiumCheck(): Check {
  const c = findChromium();
  const fonts = existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf');
  const ok = c !== null && fonts;
  const detail = `${c ?? 'chromium not found'}; DejaVu fonts ${fonts ? 'present' : 'missing'}`;
  return { name: 'Chromium + fonts (PDF export, figures)', ok, required: false, detail, fix: ok ? undefined : CHROMIUM_FIX };
}

function packageVersion(name: string): string | null {
  try {
    const req = createRequire(join(projectRoot(), 'package.json'));
    return (JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

const GPU_INSTALL = `npm install --no-save ${TFJS_NODE_GPU_NEEDS.package}@${TFJS_NODE_GPU_NEEDS.version}`;

function tfjsChecks(): Check[] {
  const tf = packageVersion('@tensorflow/tfjs');
  const wasm = packageVersion('@tensorflow/tfjs-backend-wasm');
  return [
    { name: 'TensorFlow.js', ok: tf !== null, required: true, detail: tf ? `@tensorflow/tfjs ${tf}` : 'missing', fix: tf ? undefined : 'npm ci' },
    {
      name: 'tfjs wasm backend', ok: wasm !== null && wasm === tf, required: true,
      detail: wasm ? `@tensorflow/tfjs-backend-wasm ${wasm}${wasm !== tf ? ` (must equal tfjs ${tf})` : ''}` : 'missing', fix: wasm === tf ? undefined : 'npm ci',
    },
  ];
}

/**
 * The backend training would use and why (lib/nn/backend.ts's choice, made here for real: the native packages are
 * loaded if present), tfjs-node-gpu's state, and the CUDA / cuDNN libraries it needs (lib/workbook/gpu-libs.ts).
 * All optional: without a GPU, training runs on wasm.
 */
async function backendChecks(): Promise<Check[]> {
  const { initBackend } = await import('../nn/backend.js');
  const checks: Check[] = [];
  let gpuReason = 'not checked';
  try {
    const choice = await initBackend();
    const why = choice.tried.map((t) => `${t.name.replace('@tensorflow/', '')}: ${t.reason}`).join('; ');
    const env = process.env.TFJS_BACKEND ? ` (TFJS_BACKEND=${process.env.TFJS_BACKEND})` : '';
    checks.push({ name: 'tfjs backend', ok: true, required: false, detail: `${choice.name}${env} — ${why}` });
    gpuReason = choice.tried.find((t) => t.name === TFJS_NODE_GPU_NEEDS.package)?.reason ?? 'not tried (TFJS_BACKEND)';
  } catch (err) {
    checks.push({ name: 'tfjs backend', ok: false, required: true, detail: (err as Error).message, fix: 'npm ci' });
  }
  const gpu = packageVersion(TFJS_NODE_GPU_NEEDS.package);
  const gpuLoads = gpuReason.startsWith('native binding');
  checks.push({
    name: 'tfjs-node-gpu (optional)', ok: gpu !== null && gpuLoads, required: false,
    detail: gpu === null
      ? 'not installed: training runs on the wasm backend (CPU)'
      : `${TFJS_NODE_GPU_NEEDS.package} ${gpu}: ${gpuLoads ? `loads (${gpuReason})` : gpuReason}`,
    fix: gpuLoads ? undefined : `${GPU_INSTALL}   (downloads libtensorflow ${TFJS_NODE_GPU_NEEDS.libtensorflow} from storage.googleapis.com; see README "GPU")`,
  });
  const report = checkGpuLibraries(gatherGpuLibraries());
  const n = TFJS_NODE_GPU_NEEDS;
  checks.push({
    name: 'CUDA + cuDNN for tfjs-node-gpu (optional)', ok: report.ok, required: false,
    detail: describeGpuLibraries(report),
    fix: report.ok ? undefined
      : `install CUDA ${n.cuda.major}.${n.cuda.minor} and cuDNN ${n.cudnn.major}.${n.cudnn.minor} (NVIDIA's archives) and put their lib64 `
        + 'folders on LD_LIBRARY_PATH or in ldconfig; a GPU and its driver (libcuda.so.1) too',
  });
  return checks;
}

/** JPEG / HEVC command-line tools of the separate-coding baselines (lib/codecs). */
async function codecCheck(): Promise<Check> {
  const { codecToolStatus } = await import('../codecs/index.js');
  const status = codecToolStatus();
  const missing = status.filter((t) => !t.ok);
  const packages = [...new Set(missing.map((t) => t.package))];
  return {
    // The separate-coding baselines of the VSCC and codebook notebooks run these tools.
    name: 'codec tools (JPEG / HEVC baselines)', ok: missing.length === 0, required: true,
    detail: missing.length === 0 ? status.map((t) => t.tool).join(', ') : `missing: ${missing.map((t) => t.tool).join(', ')}`,
    fix: missing.length === 0 ? undefined : `apt-get install -y ${packages.join(' ')}`,
  };
}

/** The first executable called `name` on PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** A tool's `--version`-style first line, or null when it does not answer within 5 s. */
function versionLine(cmd: string, args: string[]): string | null {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n')[0].trim() || null;
  } catch {
    return null;
  }
}

export const SLURM_FIX = 'bash scripts/cluster-setup.sh   (Debian: slurmctld slurmd slurm-client munge)';

/**
 * Slurm (optional): deploy/slurm/submit.sh needs `sbatch`; `npm run test:cluster` and deploy/slurm/local-cluster.sh
 * also need the daemons (slurmctld, slurmd, munged) to start a single-node Slurm on localhost.
 */
function slurmCheck(): Check {
  const name = 'Slurm (optional, deploy/slurm)';
  const sbatch = onPath('sbatch');
  const daemons = ['slurmctld', 'slurmd', 'munged'].filter((d) => onPath(d) !== null || existsSync(join('/usr/sbin', d)));
  if (!sbatch) return { name, ok: false, required: false, detail: 'sbatch not found: submitting sweeps to a cluster needs a Slurm login node', fix: SLURM_FIX };
  // The daemons print their version without a slurm.conf; sbatch -V needs one (a cluster's login node has it).
  const slurmd = onPath('slurmd') ?? (existsSync('/usr/sbin/slurmd') ? '/usr/sbin/slurmd' : null);
  const version = (slurmd ? versionLine(slurmd, ['-V']) : null) ?? versionLine(sbatch, ['-V']) ?? 'version unknown';
  const local = daemons.length === 3 ? 'slurmctld, slurmd and munged present (local cluster possible)' : `no ${['slurmctld', 'slurmd', 'munged'].filter((d) => !daemons.includes(d)).join(', ')} (no local cluster: test:cluster skips)`;
  return { name, ok: true, required: false, detail: `${sbatch} (${version}); ${local}` };
}

interface DataStatusEntry { name: string; ok: boolean; detail: string; fix?: string; required?: boolean }

async function dataChecks(): Promise<Check[]> {
  try {
    const data = (await import('../data/index.js')) as { dataStatus?: () => DataStatusEntry[] | Promise<DataStatusEntry[]> };
    if (typeof data.dataStatus !== 'function') return [];
    // MNIST, Fashion-MNIST and the photo set are read by the notebooks: missing or corrupt fails doctor. The papers'
    // own datasets (Mini-ImageNet, VOC 2012, Flickr8k; paper profile only) are optional: a warning.
    return (await data.dataStatus()).map((d) => ({
      name: `data: ${d.name}`, ok: d.ok, detail: d.detail, fix: d.fix, required: d.required ?? true,
    }));
  } catch (err) {
    return [{ name: 'data', ok: false, required: true, detail: `could not check data caches: ${(err as Error).message}` }];
  }
}

export async function runChecks(): Promise<Check[]> {
  return [
    nodeCheck(), jupyterCheck(), ...notebookServerChecks(), kernelCheck(), chromiumCheck(), ...tfjsChecks(),
    ...(await backendChecks()), await codecCheck(), slurmCheck(), ...(await dataChecks()),
  ];
}

function checkChecks(checks: unknown): asserts checks is Check[] {
  if (!Array.isArray(checks)) throw new TypeError(`checks must be an array of doctor checks, got ${describe(checks)}`);
  checks.forEach((c: unknown, i) => {
    assertObject(`checks[${i}]`, c);
    const x = c as Check;
    if (typeof x.name !== 'string' || typeof x.ok !== 'boolean') {
      throw new TypeError(`checks[${i}] must be a Check { name, ok, detail, required }`);
    }
  });
}

export function formatChecks(checks: Check[]): string {
  checkChecks(checks);
  const lines = checks.map((c) => {
    const mark = c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn';
    return `[${mark}] ${c.name}: ${c.detail}${!c.ok && c.fix ? `\n         fix: ${c.fix}` : ''}`;
  });
  return lines.join('\n');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Install what can be installed: Debian packages (as root), then data caches that lib/data can build. */
export async function fixProblems(checks: Check[], log: (s: string) => void = console.log): Promise<void> {
  checkChecks(checks);
  assertFunction('log', log);
  const broken = checks.filter((c) => !c.ok && c.fix);
  if (broken.length === 0) return;
  if (broken.some((c) => c.fix?.startsWith('apt-get'))) {
    if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
      log(`not root on Debian: run as root: apt-get update && apt-get install -y ${aptPackages().join(' ')}`);
    } else {
      log(`installing Debian packages: ${aptPackages().join(' ')}`);
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', ...aptPackages()], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
  }
  if (broken.some((c) => c.name.startsWith('data: ') && /photo/i.test(c.name))) {
    const data = await import('../data/index.js');
    for (const patchSize of [32, 64]) {
      log(`building the photo set (${patchSize}×${patchSize} patches) in the data cache`);
      await data.buildPhotoSet({ patchSize, log });
    }
  }
}
