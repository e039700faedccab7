/**
 * The Jupyter side of the toolchain: Debian's Python with nbconvert, and a project-local tslab kernelspec
 * that runs the project's own tslab with this Node. Nothing depends on a global kernelspec or on which
 * `python3` comes first on PATH (it may be a pyenv interpreter without Jupyter).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, writeFileAtomic } from '../core/index.js';

/** Same name as tslab's own kernelspec, so the notebooks also open in any Jupyter with tslab; JUPYTER_PATH puts ours first. */
export const KERNEL_NAME = 'tslab';

/** Candidate interpreters, Debian's first. WORKBOOK_PYTHON overrides. */
function pythonCandidates(): string[] {
  const env = process.env.WORKBOOK_PYTHON;
  return env ? [env] : ['/usr/bin/python3', 'python3'];
}

export interface PythonInfo {
  python: string;
  nbconvert: string;
  nbclient: string;
}

/** Interpreters whose probe ran out of time in the last findJupyterPython() (a busy machine, not a missing package). */
let timedOut: string[] = [];

/** The first interpreter that can import nbconvert and nbclient, or null. */
export function findJupyterPython(): PythonInfo | null {
  timedOut = [];
  for (const python of pythonCandidates()) {
    try {
      const out = execFileSync(python, ['-c', 'import nbconvert, nbclient; print(nbconvert.__version__, nbclient.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        // Importing nbconvert takes seconds, and over a minute on a loaded machine (shards starting side by side).
        timeout: 120_000,
      }).trim();
      const [nbconvert, nbclient] = out.split(/\s+/);
      return { python, nbconvert, nbclient };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ETIMEDOUT') timedOut.push(python);
    }
  }
  return null;
}

export const JUPYTER_FIX = 'apt-get update && apt-get install -y jupyter-nbconvert python3-nbconvert jupyter-client python3-ipykernel python3-nbclient';

export function requireJupyterPython(): PythonInfo {
  const info = findJupyterPython();
  if (!info) {
    throw new Error(
      `Jupyter (nbconvert + nbclient) was not found for ${pythonCandidates().join(' or ')}` +
        `${timedOut.length > 0 ? ` (${timedOut.join(', ')}: no answer within 120 s — is the machine overloaded?)` : ''}.\n` +
        `Fix: ${JUPYTER_FIX}   (or: npx workbook doctor --fix)`,
    );
  }
  return info;
}

/** Folder holding the project-local kernelspec; put on JUPYTER_PATH. */
export function jupyterDataDir(): string {
  return join(projectRoot(), '.jupyter', 'share', 'jupyter');
}

export function tslabBinary(): string {
  return join(projectRoot(), 'node_modules', 'tslab', 'bin', 'tslab');
}

/** Write (or refresh) the kernelspec: absolute paths to this Node and the project's tslab. */
export function ensureKernelspec(): string {
  const bin = tslabBinary();
  if (!existsSync(bin)) throw new Error(`tslab is not installed at ${bin}. Fix: npm ci`);
  const spec = {
    argv: [process.execPath, bin, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (semcom-workbook)',
    language: 'typescript',
  };
  const path = join(jupyterDataDir(), 'kernels', KERNEL_NAME, 'kernel.json');
  const text = JSON.stringify(spec, null, 1) + '\n';
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileAtomic(path, text);
  return path;
}

/** Environment for any Jupyter child process: our kernelspec first, our preprocessor importable. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const pyPath = join(projectRoot(), 'lib', 'workbook', 'python');
  const jp = [jupyterDataDir(), process.env.JUPYTER_PATH].filter(Boolean).join(':');
  const pp = [pyPath, process.env.PYTHONPATH].filter(Boolean).join(':');
  return { ...process.env, JUPYTER_PATH: jp, PYTHONPATH: pp, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extra };
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const env = process.env.WORKBOOK_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_FIX = 'apt-get install -y chromium fonts-dejavu-core';
