/**
 * Are the CUDA and cuDNN libraries that `@tensorflow/tfjs-node-gpu` 4.22.0 loads present, in the versions it needs?
 * For `workbook doctor`.
 *
 * What it needs: tfjs-node-gpu 4.22.0 downloads libtensorflow 2.9.1 (LIBTENSORFLOW_VERSION in the package's
 * scripts/deps-constants.js), built against CUDA 11.2 and cuDNN 8.1 — TensorFlow's "Tested build configurations"
 * table, row tensorflow-2.9.0 (https://www.tensorflow.org/install/source#gpu: cuDNN 8.1, CUDA 11.2); the tfjs
 * maintainers give the same for tfjs-node-gpu (CUDA Toolkit 11.2, cuDNN SDK 8.1.0, driver > 450.x:
 * https://github.com/tensorflow/tfjs/issues/8362). libtensorflow opens the libraries by soname with dlopen, so what
 * counts is a file of exactly that name on the dynamic loader's path: libcudart.so.11.0 (the soname of every CUDA
 * 11.x runtime), libcublas.so.11, libcublasLt.so.11, libcufft.so.10, libcurand.so.10, libcusolver.so.11,
 * libcusparse.so.11, libcudnn.so.8, and the driver's libcuda.so.1. A CUDA 12/13 or cuDNN 9 install has other
 * sonames and is not loaded at all. A newer CUDA 11.x / cuDNN 8.x than the tested one loads through the same
 * soname (NVIDIA's minor-version compatibility) and is reported as such; an older one is a problem.
 *
 * Versions: from the real file names the sonames link to (libcudart.so.11.2.152, libcudnn.so.8.1.1,
 * libcuda.so.535.104.05), else from the version headers (cuda_runtime_api.h: CUDART_VERSION 11020 = 11.2;
 * cudnn_version.h or cudnn.h: CUDNN_MAJOR/MINOR/PATCHLEVEL). A soname alone gives only the major version (the
 * "11.0" of libcudart.so.11.0 is not the toolkit's version).
 *
 * `checkGpuLibraries` is pure (a file list and header texts in, a report out: unit-tested with made-up lists);
 * `gatherGpuLibraries` collects its input on this machine: `ldconfig -p`, the folders of LD_LIBRARY_PATH and
 * /usr/local/cuda*\/lib64 (and lib, targets/x86_64-linux/lib), with symlinks resolved.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { assertObject, describe } from '../core/index.js';

/** What @tensorflow/tfjs-node-gpu 4.22.0 needs (sources in the file header). */
export const TFJS_NODE_GPU_NEEDS = {
  package: '@tensorflow/tfjs-node-gpu',
  version: '4.22.0',
  libtensorflow: '2.9.1',
  cuda: { major: 11, minor: 2 },
  cudnn: { major: 8, minor: 1 },
  /** Smallest driver branch the maintainers name (> 450.x). */
  driverMajor: 450,
} as const;

type Role = 'driver' | 'cuda' | 'cudnn';

/** The sonames libtensorflow 2.9 (CUDA 11.2 build) opens, and what each belongs to. */
export const REQUIRED_SONAMES: readonly { readonly soname: string; readonly role: Role }[] = [
  { soname: 'libcuda.so.1', role: 'driver' },
  { soname: 'libcudart.so.11.0', role: 'cuda' },
  { soname: 'libcublas.so.11', role: 'cuda' },
  { soname: 'libcublasLt.so.11', role: 'cuda' },
  { soname: 'libcufft.so.10', role: 'cuda' },
  { soname: 'libcurand.so.10', role: 'cuda' },
  { soname: 'libcusolver.so.11', role: 'cuda' },
  { soname: 'libcusparse.so.11', role: 'cuda' },
  { soname: 'libcudnn.so.8', role: 'cudnn' },
];

export interface GpuLibraryInput {
  /** Paths of library files the dynamic loader can find (symlinks and the files they resolve to). */
  readonly files: readonly string[];
  /** Texts of version headers found (cuda_runtime_api.h, cudnn_version.h, cudnn.h); optional. */
  readonly headers?: readonly string[];
}

export interface SonameStatus {
  readonly soname: string;
  readonly role: Role;
  /** Where it was found, or null. */
  readonly path: string | null;
  /** Other versions of the same library found (basenames), e.g. ['libcudart.so.13'] when the soname is missing. */
  readonly otherVersions: readonly string[];
}

export interface GpuLibraryReport {
  /** Everything tfjs-node-gpu 4.22 loads is there, in a version it works with. */
  readonly ok: boolean;
  /** Versions found ('11.2.152', '13.0', '11.x' when only a soname says so), or null. */
  readonly cuda: string | null;
  readonly cudnn: string | null;
  readonly driver: string | null;
  readonly sonames: readonly SonameStatus[];
  /** One line per problem, each naming what was found and what is needed. */
  readonly problems: readonly string[];
  /** Remarks that are not problems (a newer 11.x than the tested 11.2). */
  readonly notes: readonly string[];
}

/** 'libcudart.so.11.2.152' → { name: 'libcudart', version: [11, 2, 152], text: '11.2.152' }; null for other names. */
export function parseLibraryName(file: string): { name: string; version: number[]; text: string } | null {
  const m = /^(lib[A-Za-z]+)\.so((?:\.\d+)*)$/.exec(basename(file));
  if (!m) return null;
  const text = m[2] ? m[2].slice(1) : '';
  return { name: m[1], version: text ? text.split('.').map(Number) : [], text };
}

/** Paths listed by `ldconfig -p` ("\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0"). */
export function parseLdconfig(text: string): string[] {
  if (typeof text !== 'string') throw new TypeError(`text must be ldconfig -p output (a string), got ${describe(text)}`);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /=>\s*(\S.*)$/.exec(line);
    if (m) out.push(m[1].trim());
  }
  return out;
}

/** CUDA version from cuda_runtime_api.h (CUDART_VERSION 11020 → [11, 2]); null when not there. */
function headerCuda(headers: readonly string[]): number[] | null {
  for (const h of headers) {
    const m = /#define\s+CUDART_VERSION\s+(\d+)/.exec(h);
    if (m) {
      const v = Number(m[1]);
      return [Math.floor(v / 1000), Math.floor((v % 1000) / 10)];
    }
  }
  return null;
}

/** cuDNN version from cudnn_version.h / cudnn.h (CUDNN_MAJOR, CUDNN_MINOR, CUDNN_PATCHLEVEL); null when not there. */
function headerCudnn(headers: readonly string[]): number[] | null {
  for (const h of headers) {
    const major = /#define\s+CUDNN_MAJOR\s+(\d+)/.exec(h);
    const minor = /#define\s+CUDNN_MINOR\s+(\d+)/.exec(h);
    if (major && minor) {
      const patch = /#define\s+CUDNN_PATCHLEVEL\s+(\d+)/.exec(h);
      return [Number(major[1]), Number(minor[1]), ...(patch ? [Number(patch[1])] : [])];
    }
  }
  return null;
}

interface Found { readonly nums: number[]; readonly text: string }

/**
 * The most detailed version (then the highest) among the files of one library with at least `minParts` version
 * parts, of major version `major` when given; null when none.
 */
function bestVersion(files: readonly string[], name: string, minParts: number, major?: number): Found | null {
  let best: Found | null = null;
  for (const f of files) {
    const p = parseLibraryName(f);
    if (!p || p.name !== name || p.version.length < Math.max(1, minParts)) continue;
    if (major !== undefined && p.version[0] !== major) continue;
    if (!best || p.version.length > best.nums.length
      || (p.version.length === best.nums.length && compare(p.version, best.nums) > 0)) best = { nums: p.version, text: p.text };
  }
  return best;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A library's version: from a real file name with at least `minParts` parts (of the needed major first), else
 * from the header when its major agrees with the files', else the major alone ("13.x"); null when none is found.
 */
function versionOf(files: readonly string[], headers: readonly string[], name: string, minParts: number,
  neededMajor: number, fromHeader: (h: readonly string[]) => number[] | null): Found | null {
  const full = bestVersion(files, name, minParts, neededMajor) ?? bestVersion(files, name, minParts);
  if (full) return full;
  const any = bestVersion(files, name, 1);
  const hdr = fromHeader(headers);
  if (hdr && (!any || hdr[0] === any.nums[0])) return { nums: hdr, text: hdr.join('.') };
  return any ? { nums: [any.nums[0]], text: `${any.nums[0]}.x` } : null;
}

/**
 * The report for one machine's library list. Pure: `input.files` are paths (only their base names matter, and
 * which ones exist); `input.headers` the texts of version headers.
 */
export function checkGpuLibraries(input: GpuLibraryInput): GpuLibraryReport {
  assertObject('input', input);
  if (!Array.isArray(input.files) || input.files.some((f) => typeof f !== 'string')) {
    throw new TypeError(`input.files must be an array of library paths, got ${describe(input.files)}`);
  }
  const headers = input.headers ?? [];
  if (!Array.isArray(headers) || headers.some((h) => typeof h !== 'string')) {
    throw new TypeError(`input.headers must be an array of header texts, got ${describe(input.headers)}`);
  }
  const files = input.files;
  const byBase = new Map<string, string>();
  for (const f of files) if (!byBase.has(basename(f))) byBase.set(basename(f), f);

  const sonames: SonameStatus[] = REQUIRED_SONAMES.map(({ soname, role }) => {
    const name = soname.slice(0, soname.indexOf('.so'));
    const others = [...new Set(files.map((f) => basename(f)))]
      .filter((b) => b !== soname && parseLibraryName(b)?.name === name && (parseLibraryName(b)?.version.length ?? 0) > 0)
      .sort();
    return { soname, role, path: byBase.get(soname) ?? null, otherVersions: others };
  });
  const problems: string[] = [];
  const notes: string[] = [];
  const need = TFJS_NODE_GPU_NEEDS;
  const needCuda = `CUDA ${need.cuda.major}.x ≥ ${need.cuda.major}.${need.cuda.minor}`;
  const needCudnn = `cuDNN ${need.cudnn.major}.x ≥ ${need.cudnn.major}.${need.cudnn.minor}`;

  // Driver: its version is the real file's (libcuda.so.535.104.05).
  const driverFound = bestVersion(files, 'libcuda', 2);
  const driver = driverFound ? driverFound.text : sonames[0].path ? 'found (version unknown)' : null;
  if (!sonames[0].path) {
    problems.push('no NVIDIA driver library libcuda.so.1 on the loader path (no driver installed, or no GPU here)');
  } else if (driverFound && driverFound.nums[0] < need.driverMajor) {
    problems.push(`NVIDIA driver ${driver} is older than the ${need.driverMajor} branch CUDA ${need.cuda.major}.${need.cuda.minor} needs`);
  }

  // CUDA: the toolkit version from libcudart's real file name (3 parts: "11.0" in libcudart.so.11.0 is the soname),
  // else from cuda_runtime_api.h when it agrees with the library's major version, else the major version alone.
  const cuda = versionOf(files, headers, 'libcudart', 3, need.cuda.major, headerCuda);
  const cudaMissing = sonames.filter((s) => s.role === 'cuda' && !s.path).map((s) => s.soname);
  if (!sonames[1].path) {
    const others = sonames[1].otherVersions;
    const found = others.length ? `found ${others.join(', ')}${cuda ? ` (CUDA ${cuda.text})` : ''}` : 'no CUDA runtime found';
    problems.push(`libcudart.so.11.0 missing: ${found}; tfjs-node-gpu ${need.version} needs ${needCuda} (tested: ${need.cuda.major}.${need.cuda.minor})`);
  } else if (cuda && cuda.nums.length >= 2 && cuda.nums[0] === need.cuda.major) {
    if (cuda.nums[1] < need.cuda.minor) problems.push(`CUDA ${cuda.text} is older than ${need.cuda.major}.${need.cuda.minor}: needs ${needCuda}`);
    else if (cuda.nums[1] > need.cuda.minor) notes.push(`CUDA ${cuda.text} is newer than the tested ${need.cuda.major}.${need.cuda.minor}; it loads through the same sonames (minor-version compatibility)`);
  }
  const otherCudaMissing = cudaMissing.filter((s) => s !== 'libcudart.so.11.0');
  if (otherCudaMissing.length) problems.push(`CUDA ${need.cuda.major} libraries missing: ${otherCudaMissing.join(', ')}`);

  // cuDNN: from libcudnn's real file name (libcudnn.so.8.1.1), else the header, else the soname's major.
  const cudnn = versionOf(files, headers, 'libcudnn', 2, need.cudnn.major, headerCudnn);
  const cudnnStatus = sonames[sonames.length - 1];
  if (!cudnnStatus.path) {
    const others = cudnnStatus.otherVersions;
    const found = others.length ? `found ${others.join(', ')}${cudnn ? ` (cuDNN ${cudnn.text})` : ''}` : 'no cuDNN found';
    problems.push(`libcudnn.so.8 missing: ${found}; tfjs-node-gpu ${need.version} needs ${needCudnn} (tested: ${need.cudnn.major}.${need.cudnn.minor})`);
  } else if (cudnn && cudnn.nums.length >= 2 && cudnn.nums[0] === need.cudnn.major) {
    if (cudnn.nums[1] < need.cudnn.minor) problems.push(`cuDNN ${cudnn.text} is older than ${need.cudnn.major}.${need.cudnn.minor}: needs ${needCudnn}`);
    else if (cudnn.nums[1] > need.cudnn.minor) notes.push(`cuDNN ${cudnn.text} is newer than the tested ${need.cudnn.major}.${need.cudnn.minor}; it loads through the same soname`);
  }
  return {
    ok: problems.length === 0, cuda: cuda?.text ?? null, cudnn: cudnn?.text ?? null, driver, sonames, problems, notes,
  };
}

/** Version headers looked for next to each library folder (../include) and in the system include folders. */
const HEADER_NAMES = ['cuda_runtime_api.h', 'cudnn_version.h', 'cudnn.h'];

/**
 * This machine's input for checkGpuLibraries: `ldconfig -p` (when the command exists), the files of the
 * LD_LIBRARY_PATH folders and of /usr/local/cuda*\/{lib64,lib,targets/x86_64-linux/lib}, each library symlink also
 * by the path it resolves to; and the version headers beside those folders and in /usr/include.
 */
export function gatherGpuLibraries(env: NodeJS.ProcessEnv = process.env): GpuLibraryInput & { folders: string[] } {
  const files = new Set<string>();
  const folders = new Set<string>();
  const relevant = (b: string) => /^lib(cuda|cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)\.so/.test(b);
  const add = (p: string) => {
    if (!relevant(basename(p))) return;
    files.add(p);
    folders.add(dirname(p));
    try {
      files.add(realpathSync(p));
    } catch {
      // dangling symlink: the name alone is what ldconfig lists
    }
  };
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    parseLdconfig(out).forEach(add);
  } catch {
    // no ldconfig (not glibc, or not on PATH): the folders below still count
  }
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  try {
    for (const d of readdirSync('/usr/local')) {
      if (!/^cuda(-[\d.]+)?$/.test(d)) continue;
      for (const sub of ['lib64', 'lib', 'targets/x86_64-linux/lib']) dirs.push(join('/usr/local', d, sub));
    }
  } catch {
    // no /usr/local
  }
  for (const d of dirs) {
    try {
      if (!statSync(d).isDirectory()) continue;
      folders.add(d);
      for (const f of readdirSync(d)) add(join(d, f));
    } catch {
      // missing folder on LD_LIBRARY_PATH: nothing there
    }
  }
  const headerDirs = new Set(['/usr/include', '/usr/include/x86_64-linux-gnu']);
  for (const f of folders) {
    headerDirs.add(join(f, '..', 'include'));
    headerDirs.add(join(f, '..', '..', 'include'));
  }
  const headers: string[] = [];
  for (const d of headerDirs) {
    for (const h of HEADER_NAMES) {
      const p = join(d, h);
      if (existsSync(p)) {
        try {
          headers.push(readFileSync(p, 'utf8'));
        } catch {
          // unreadable header: versions come from file names
        }
      }
    }
  }
  return { files: [...files].sort(), headers, folders: [...folders].sort() };
}

/** One line for doctor: versions found against those needed, and the first problems. */
export function describeGpuLibraries(r: GpuLibraryReport): string {
  const n = TFJS_NODE_GPU_NEEDS;
  const found = `found: CUDA ${r.cuda ?? 'none'}, cuDNN ${r.cudnn ?? 'none'}, driver ${r.driver ?? 'none'}`;
  const needs = `tfjs-node-gpu ${n.version} (libtensorflow ${n.libtensorflow}) needs CUDA ${n.cuda.major}.${n.cuda.minor}`
    + ` + cuDNN ${n.cudnn.major}.${n.cudnn.minor}`;
  const tail = r.ok ? (r.notes.length ? `; ${r.notes.join('; ')}` : '') : `; ${r.problems.join('; ')}`;
  return `${found}; ${needs}${tail}`;
}
