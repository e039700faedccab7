/**
 * `workbook notebook` / `workbook lab`: serve notebooks/ interactively with the project's kernel.
 *
 * Starts the classic Jupyter Notebook (Debian's jupyter-notebook 6.4; `lab`: JupyterLab, when installed) with
 * Debian's Python, on 127.0.0.1 only, with a fresh random token, `--no-browser`, `--allow-root` only when running
 * as root (Jupyter refuses root otherwise), the notebook folder notebooks/ (or --notebook-dir), and the environment
 * of every Jupyter process of the workbook (toolchain.jupyterEnv: the project-local tslab kernelspec first on
 * JUPYTER_PATH). Once the server answers, the URL with its token is printed on stdout. Ctrl-C (or SIGTERM) stops
 * the server, which shuts its kernels down.
 *
 * The notebooks opened this way write under build/interactive/ (their parameters cell), never figures/.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureKernelspec, jupyterEnv, requireJupyterPython } from './toolchain.js';
import { notebooksDir } from './runner.js';

export type ServerKind = 'notebook' | 'lab';

export const NOTEBOOK_FIX = 'apt-get install -y jupyter-notebook';

export const NOTEBOOK_USAGE = `usage:
  workbook notebook [--port N] [--notebook-dir DIR]
  workbook lab [--port N] [--notebook-dir DIR]
Serves the notebooks (default folder: notebooks/) on http://127.0.0.1 with the project's TypeScript kernel (tslab)
and prints the URL with its access token. \`notebook\` is the classic Jupyter Notebook (Debian: ${NOTEBOOK_FIX});
\`lab\` is JupyterLab, when it is installed. Opened this way, a notebook runs with the quick profile's sizes and writes
under build/interactive/. Stop with Ctrl-C.`;

/** The installed version of the server's Python module (`notebook` or `jupyterlab`), or null. */
export function serverVersion(kind: ServerKind, python = requireJupyterPython().python): string | null {
  const mod = kind === 'lab' ? 'jupyterlab' : 'notebook';
  try {
    return execFileSync(python, ['-c', `import ${mod}; print(${mod}.__version__)`], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000,
    }).trim();
  } catch {
    return null;
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => done(true)));
  });
}

/** Jupyter's usual port 8888 when it is free, else the next free one up to 8899, else one the system picks. */
export async function choosePort(): Promise<number> {
  for (let p = 8888; p < 8900; p++) if (await portFree(p)) return p;
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? done(addr.port) : fail(new Error('no free port'))));
    });
  });
}

export interface ServerOptions {
  kind: ServerKind;
  port: number;
  notebookDir: string;
  token: string;
}

/** The command line of the server (its Python module and flags). */
export function serverArgs(opts: ServerOptions, root = isRoot()): string[] {
  const app = opts.kind === 'lab' ? 'ServerApp' : 'NotebookApp';
  return [
    '-m', opts.kind === 'lab' ? 'jupyterlab' : 'notebook',
    '--ip=127.0.0.1', `--port=${opts.port}`, '--port-retries=0', '--no-browser',
    `--${app}.token=${opts.token}`, `--notebook-dir=${opts.notebookDir}`,
    ...(root ? ['--allow-root'] : []),
  ];
}

/** Resolve once GET /api/status with the token answers 200; reject when the server exits or after timeoutMs. */
async function waitUntilServing(child: ChildProcess, base: string, token: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  while (Date.now() < until) {
    if (exited !== null) throw new Error(`the Jupyter server exited (code ${exited}) before it served ${base}`);
    try {
      const res = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the Jupyter server did not answer at ${base} within ${timeoutMs / 1000} s`);
}

class UsageError extends RangeError {}

/** The `notebook` / `lab` command. Resolves with the exit code once the server has stopped. */
export async function cmdNotebook(kind: ServerKind, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'notebook-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(NOTEBOOK_USAGE);
    return 0;
  }
  let port: number;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError(`--port must be an integer in 1–65535, got ${JSON.stringify(values.port)}`);
    }
  } else {
    port = await choosePort();
  }
  const notebookDir = resolve(values['notebook-dir'] ?? notebooksDir());
  if (!existsSync(notebookDir) || !statSync(notebookDir).isDirectory()) {
    throw new UsageError(`--notebook-dir must be a folder, got ${JSON.stringify(notebookDir)}`);
  }

  const py = requireJupyterPython();
  const version = serverVersion(kind, py.python);
  if (!version) {
    throw new Error(kind === 'lab'
      ? 'JupyterLab is not installed (Debian does not package it): use `workbook notebook` (the classic Notebook)'
      : `the classic Jupyter Notebook is not installed for ${py.python}. `
        + `Fix: ${NOTEBOOK_FIX}   (or: npx workbook doctor --fix)`);
  }
  ensureKernelspec();
  const token = randomBytes(24).toString('hex');
  // Its own process group: a Ctrl-C reaches only us (the Notebook would otherwise stop to ask "Shutdown? (y/[n])"),
  // and we stop it with SIGTERM, on which it shuts its kernels down.
  const child = spawn(py.python, serverArgs({ kind, port, notebookDir, token }), {
    env: jupyterEnv(), stdio: ['ignore', 'inherit', 'inherit'], detached: true,
  });
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  signals.forEach((s) => process.on(s, stop));
  const exited = new Promise<number>((done) => {
    child.once('exit', (code, signal) => done(code ?? (signal === 'SIGTERM' ? 0 : 1)));
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, base, token, 60_000);
    const page = kind === 'lab' ? 'lab' : 'tree';
    const name = kind === 'lab' ? 'Lab' : 'Notebook';
    console.log(`Jupyter ${name} ${version} serving ${notebookDir} with the tslab kernel:`);
    console.log(`  ${base}/${page}?token=${token}`);
    console.log('Stop with Ctrl-C.');
    return await exited;
  } catch (err) {
    stop();
    await exited;
    throw err;
  } finally {
    signals.forEach((s) => process.off(s, stop));
  }
}
