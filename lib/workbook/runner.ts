/**
 * `workbook run`: execute notebooks headlessly with `jupyter nbconvert` on the project's tslab kernel.
 * Parameters follow papermill's conventions; a failing cell stops the run and is reported with its
 * number, source and the message tslab wrote to the cell's stderr.
 *
 * A notebook that names its paper (metadata.workbook.paper) writes its figures all-or-nothing: the runner takes the
 * lock on `<figures root>/<paper>` before the kernel starts (a second run on it fails, naming this pid), the kernel
 * writes into the staging folder (lib/workbook/outputs.ts, joined by lib/workbook/session.ts), and the folder is
 * replaced only once every cell has run; a failed, timed-out or interrupted run leaves the previous output as it was.
 *
 * Sweep sharing (`sweeps`: a shard, from-cache, plan; lib/nn/sweep-coord.ts) reaches the notebook's sweeps as
 * environment variables of the kernel, which its sweep workers inherit: SEMCOM_SHARD=i/n, SEMCOM_SWEEP_MODE,
 * SEMCOM_SHARDS, SEMCOM_SHARD_TIMEOUT_S, SEMCOM_PLAN_FILE. A shard's figures go to `figuresRoot`
 * (build/shards/<profile>/<i>-of-<n>/figures, set by the CLI), never to the profile's own folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { assertObject, assertOneOf, assertString, projectRoot } from '../core/index.js';
import {
  checkNotebook, declaredParameters, injectParameters, outputText, readNotebook, sourceOf, stripTiming,
    validateParameters, writeNotebook,
  type Notebook, type ParamValue,
} from './notebook.js';
import { beginOutput, type OutputTransaction } from './outputs.js';
import { ensureKernelspec, jupyterEnv, KERNEL_NAME, requireJupyterPython } from './toolchain.js';
import { trustNotebooks } from './trust.js';
import { checkRunOptions } from './checks.js';
import { procStatFields } from './proc.js';
import { coordinationFromEnv, type Shard, type SweepMode } from '../nn/sweep-coord.js';
import { buildDir } from './build-dir.js';

/**
 * quick: minutes on a laptop (the CI check); full: the committed figures on a 2-core CPU; paper: the papers' own
 * settings and datasets (docs/papers/<paper>.md#paper-profile) — GPU days, written under build/paper/.
 */
export type Profile = 'quick' | 'full' | 'paper';
export const PROFILES: readonly Profile[] = ['quick', 'full', 'paper'];

export interface RunOptions {
  profile: Profile;
  params?: Record<string, ParamValue>;
  /** Folder for executed notebooks (default build/<profile>/notebooks). */
  outDir?: string;
  /** Seconds per cell (default: the notebook's metadata.workbook.cellTimeout, else 1800). */
  cellTimeout?: number;
  /** Seconds for the whole notebook (default 5400). */
  notebookTimeout?: number;
  /** Called with each progress line as it comes: a code cell starting or finishing, a line the kernel printed. */
  onProgress?: (line: string) => void;
  /** Notices about the output folder (a stale lock taken over, leftovers removed); default: stderr. */
  onNotice?: (line: string) => void;
  /** The papers' datasets folder, passed to the kernel as SEMCOM_DATA_DIR (default: the environment's). */
  dataDir?: string;
  /** Folder the notebook's figures go to (default figuresRootFor(profile)). */
  figuresRoot?: string;
  /** How the notebook's sweeps share work with other processes (default: train what is missing). */
  sweeps?: SweepRunOptions;
}

/** A run's sweep sharing, passed to the kernel as environment variables (lib/nn/sweep-coord.ts). */
export interface SweepRunOptions {
  /** train (default), from-cache (train nothing, fail on missing entries) or plan (record, train nothing). */
  readonly mode?: SweepMode;
  /** This run is shard `index` of `count` (train mode only). */
  readonly shard?: Shard;
  /** from-cache / plan: name the owner shard of `shards` for each missing entry. */
  readonly shards?: number;
  /** How long a shard waits for other shards' entries (seconds). */
  readonly shardTimeoutS?: number;
  /** plan mode: the file the sweeps are recorded in. */
  readonly planFile?: string;
}

/**
 * The kernel environment for `sweeps`. Every variable but the timeout is set (empty when unused), so a value left in
 * the caller's shell never turns a plain run into a shard: the flags are the interface.
 */
export function sweepEnv(sweeps: SweepRunOptions = {}): Record<string, string> {
  const env: Record<string, string> = {
    SEMCOM_SWEEP_MODE: sweeps.mode ?? 'train', SEMCOM_SHARD: '', SEMCOM_SHARDS: '', SEMCOM_PLAN_FILE: '',
  };
  if (sweeps.shard) env.SEMCOM_SHARD = `${sweeps.shard.index}/${sweeps.shard.count}`;
  if (sweeps.shards !== undefined) env.SEMCOM_SHARDS = String(sweeps.shards);
  if (sweeps.shardTimeoutS !== undefined) env.SEMCOM_SHARD_TIMEOUT_S = String(sweeps.shardTimeoutS);
  if (sweeps.planFile !== undefined) env.SEMCOM_PLAN_FILE = sweeps.planFile;
  coordinationFromEnv(env); // the same checks the kernel will make, before anything starts
  return env;
}

export interface RunResult {
  notebook: string;
  output: string;
  seconds: number;
  parameters: Record<string, ParamValue>;
}

/** A failing cell, described so a person can act on it. */
export class CellError extends Error {
  constructor(
    readonly notebook: string,
    readonly cellNumber: number,
    readonly source: string,
    readonly detail: string,
  ) {
    checkCellError(notebook, cellNumber, source, detail);
    const head = source.split('\n').slice(0, 6).map((l) => `    ${l}`).join('\n');
    super(`${notebook}: cell ${cellNumber} failed\n  source:\n${head}\n  error:\n${indent(detail || '(no message was reported)')}`);
    this.name = 'CellError';
  }
}

function checkCellError(notebook: unknown, cellNumber: unknown, source: unknown, detail: unknown): void {
  assertString('notebook', notebook);
  if (typeof cellNumber !== 'number' || !Number.isInteger(cellNumber) || cellNumber < 0) {
    throw new RangeError(`cellNumber must be an integer >= 0, got ${String(cellNumber)}`);
  }
  assertString('source', source);
  assertString('detail', detail);
}

const indent = (s: string) => s.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');

export function notebooksDir(): string {
  return join(projectRoot(), 'notebooks');
}

/** Resolve a notebook argument: a path, or a name in notebooks/ ("zepe" → notebooks/zepe.ipynb). */
export function resolveNotebook(arg: string): string {
  if (typeof arg !== 'string') throw new TypeError(`notebook must be a name or a path (a string), got ${typeof arg}`);
  const candidates = [arg, `${arg}.ipynb`, join(notebooksDir(), arg), join(notebooksDir(), `${arg}.ipynb`)];
  const hit = candidates.map((c) => resolve(c)).find((c) => existsSync(c) && c.endsWith('.ipynb'));
  if (!hit) {
    const known = listNotebooks().map((p) => basename(p, '.ipynb'));
    // A bad argument (the CLI exits 2 on RangeError), not a failure of the run.
    throw new RangeError(`notebook "${arg}" not found; available: ${known.join(', ') || '(none)'}`);
  }
  return hit;
}

export function listNotebooks(): string[] {
  const dir = notebooksDir();
  if (!existsSync(dir)) return [];
  return readdirIpynb(dir);
}

function readdirIpynb(dir: string): string[] {
  // Only the paper notebooks: fixtures live under test/.
  const order = ['zepe', 'vscc', 'e2ec', 'codebook'];
  return order.map((n) => join(dir, `${n}.ipynb`)).filter((p) => existsSync(p));
}

/** Where a profile writes figures: full → figures/, quick → build/quick/figures, paper → build/paper/figures. */
export function figuresRootFor(profile: Profile): string {
  assertOneOf('profile', profile, PROFILES);
  return profile === 'full' ? join(projectRoot(), 'figures') : buildDir(profile, 'figures');
}

/** The parameters a run injects: runner-owned ones, then the notebook's profile overrides, then --param. */
export function parametersFor(
  nb: Notebook, path: string, profile: Profile, params: Record<string, ParamValue> = {}, figuresRoot?: string,
): Record<string, ParamValue> {
  checkNotebook(nb);
  assertString('path', path);
  assertObject('params', params);
  if (figuresRoot !== undefined) assertString('figuresRoot', figuresRoot);
  const fromProfile = nb.metadata.workbook?.profiles?.[profile] ?? {};
  // Relative to the notebook's folder (the kernel's cwd): saved notebooks carry no machine paths.
  const outDir = relative(dirname(resolve(path)), figuresRoot ?? figuresRootFor(profile)) || '.';
  const declared = declaredParameters(nb).names;
  // Runner-owned values go only where the notebook declares them; --param names are validated separately.
  const owned: Record<string, ParamValue> = {};
  if (declared.has('profile')) owned.profile = profile;
  if (declared.has('outDir')) owned.outDir = outDir;
  return { ...owned, ...fromProfile, ...params };
}

/**
 * The figures folder a run of this notebook writes (`<root>/<paper>`, as the kernel's startRun() will see it), or null
 * when the notebook names no paper (metadata.workbook.paper): then the runner stages nothing.
 */
export function outputFolderFor(
  nb: Notebook, path: string, parameters: Record<string, ParamValue>, profile: Profile,
): { root: string; paper: string } | null {
  const paper = nb.metadata.workbook?.paper;
  if (typeof paper !== 'string' || !/^[a-z0-9_-]+$/.test(paper)) return null;
  const out = parameters.outDir;
  const root = typeof out === 'string' && out !== '' ? resolve(dirname(resolve(path)), out) : figuresRootFor(profile);
  return { root, paper };
}

/** The per-cell limit a notebook declares (metadata.workbook.cellTimeout), else 1800 s. */
export function notebookCellTimeout(nb: Notebook, name: string): number {
  const v = nb.metadata.workbook?.cellTimeout;
  if (v === undefined) return 1800;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RangeError(`${name}: metadata.workbook.cellTimeout must be a positive number of seconds, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The whole-notebook limit when none is given (seconds). */
export const DEFAULT_NOTEBOOK_TIMEOUT_S = 5400;

/** Progress lines of workbook_execute.py on nbconvert's stderr start with this. */
const PROGRESS_PREFIX = '[workbook] ';

export async function runNotebook(path: string, opts: RunOptions): Promise<RunResult> {
  checkRunOptions(opts, PROFILES);
  const started = Date.now();
  const name = basename(path, '.ipynb');
  const nb = readNotebook(path);
  const parameters = parametersFor(nb, path, opts.profile, opts.params, opts.figuresRoot);
  const sweepVars = sweepEnv(opts.sweeps);
  validateParameters(name, nb, { ...nb.metadata.workbook?.profiles?.[opts.profile], ...opts.params });
  const prepared = injectParameters(nb, parameters, opts.profile);

  // Lock and stage the figures folder before anything else: a second run on it fails here, naming this pid.
  const folder = outputFolderFor(nb, path, parameters, opts.profile);
  const notice = opts.onNotice ?? ((l: string) => process.stderr.write(`  ${l}\n`));
  const staged: OutputTransaction | null = folder ? beginOutput(folder.root, folder.paper, { notify: notice }) : null;
  let output: string;
  try {
    const py = requireJupyterPython();
    ensureKernelspec();
    const outDir = resolve(opts.outDir ?? buildDir(opts.profile, 'notebooks'));
    mkdirSync(outDir, { recursive: true });
    output = join(outDir, `${name}.ipynb`);
    const partial = join(outDir, `.${name}.partial.ipynb`);
    rmSync(partial, { force: true });
    const cellTimeout = opts.cellTimeout ?? notebookCellTimeout(nb, name);
    const notebookLimit = opts.notebookTimeout ?? DEFAULT_NOTEBOOK_TIMEOUT_S;
    const job: Job = { path, name, prepared, python: py.python, partial, cellTimeout, notebookLimit, started, opts, sweepVars };
    const executed = await execute(job);
    writeNotebook(output, executed);
    await trustNotebooks([output]); // its outputs were made here: Jupyter shows them (SVG, HTML) when it is opened
    staged?.commit();
  } finally {
    staged?.abort(); // after a commit this only releases the lock; otherwise the staging folder goes too
  }
  return { notebook: path, output, seconds: (Date.now() - started) / 1000, parameters };
}

interface Job {
  readonly path: string;
  readonly name: string;
  readonly prepared: Notebook;
  readonly python: string;
  readonly partial: string;
  readonly cellTimeout: number;
  readonly notebookLimit: number;
  readonly started: number;
  readonly opts: RunOptions;
  readonly sweepVars: Record<string, string>;
}

/** Runs nbconvert on the prepared notebook: the executed notebook, or a CellError / Error saying why not. */
async function execute(job: Job): Promise<Notebook> {
  const { path, name, prepared, partial, cellTimeout, notebookLimit, started, opts } = job;
  const args = [
    '-m', 'nbconvert', '--to', 'notebook', '--stdin', '--stdout',
    `--NotebookExporter.preprocessors=["workbook_execute.WorkbookExecutePreprocessor"]`,
    '--WorkbookExecutePreprocessor.enabled=True',
    `--WorkbookExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--WorkbookExecutePreprocessor.timeout=${cellTimeout}`,
    '--WorkbookExecutePreprocessor.record_timing=False',
    '--WorkbookExecutePreprocessor.iopub_timeout=60',
    // Starting the tslab kernel can take over nbclient's default 60 s on a loaded machine or a busy cluster node.
    '--WorkbookExecutePreprocessor.startup_timeout=300',
  ];
  // The kernel's working directory is the notebook's own folder, so `../dist/...` imports resolve as in Jupyter.
  const child = execa(job.python, args, {
    cwd: dirname(path),
    input: JSON.stringify(prepared),
    env: jupyterEnv({
      WORKBOOK_PARTIAL: partial,
      WORKBOOK_PROFILE: opts.profile,
      WORKBOOK_DEADLINE: String(started / 1000 + notebookLimit),
      WORKBOOK_NOTEBOOK_LIMIT: String(notebookLimit),
      // workbook_execute.py's watchdog kills the kernel and exits once this process is gone (SIGKILL included).
      WORKBOOK_RUNNER_PID: String(process.pid),
      ...(opts.onProgress ? { WORKBOOK_PROGRESS: '1' } : {}),
      ...(opts.dataDir !== undefined ? { SEMCOM_DATA_DIR: resolve(opts.dataDir) } : {}),
      ...job.sweepVars,
    }),
    // Own process group, so a Ctrl-C in the terminal reaches only us; killTree then takes nbconvert and its kernel down.
    detached: true,
    reject: false,
    maxBuffer: 512 * 1024 * 1024,
    stripFinalNewline: false,
  });
  if (opts.onProgress) {
    const report = opts.onProgress;
    let rest = '';
    child.stderr?.on('data', (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop() ?? ''; // a chunk may end mid-line
      for (const l of lines) if (l.startsWith(PROGRESS_PREFIX)) report(l.slice(PROGRESS_PREFIX.length));
    });
  }
  // The deadline is enforced inside nbconvert (clean kernel shutdown); this is the backstop if that hangs.
  let timedOut = false;
  const killGroup = () => { if (child.pid) killTree(child.pid); };
  const timer = setTimeout(() => { timedOut = true; killGroup(); }, (notebookLimit + 60) * 1000);
  // Ctrl-C, `kill` and a closed terminal all take the kernel down with us (its group is not ours, see above).
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  signals.forEach((s) => process.once(s, killGroup));
  const res = await child.finally(() => { clearTimeout(timer); signals.forEach((s) => process.off(s, killGroup)); });

  if (res.exitCode !== 0 || timedOut) {
    if (existsSync(partial)) throw cellErrorFrom(name, JSON.parse(readFileSync(partial, 'utf8')) as Notebook, timedOut);
    const nbconvertErr = String(res.stderr).split('\n').filter((l) => !l.startsWith(PROGRESS_PREFIX)).join('\n');
    const why = timedOut
      ? `the whole-notebook time limit of ${notebookLimit} s (--timeout) was reached, and nbconvert did not stop within 60 s more`
      : nbconvertErr.slice(-4000);
    throw new Error(`${name}: nbconvert failed (exit ${res.exitCode ?? 'none'}): ${why}`);
  }
  return stripTiming(JSON.parse(String(res.stdout)) as Notebook);
}

/** Build the report from the saved partial notebook: the failing cell's stderr holds tslab's message and stack. */
export function cellErrorFrom(name: string, nb: Notebook, timedOut = false): CellError {
  const idx = nb.metadata.workbook?.failed_cell ?? lastExecutedIndex(nb);
  const cell = nb.cells[idx];
  const outputs = cell?.outputs ?? [];
  const stderr = outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map(outputText).join('');
  const errors = outputs
    .filter((o) => o.output_type === 'error')
    .map((o) => [`${o.ename ?? ''}: ${o.evalue ?? ''}`, ...(o.traceback ?? [])].join('\n'))
    .join('\n');
  const reason = nb.metadata.workbook?.failed_reason ?? (timedOut ? 'the whole-notebook time limit was reached' : '');
  const detail = [reason, stderr, errors].filter((s) => s.trim()).join('\n');
  const injected = nb.cells.slice(0, idx).some((c) => c.metadata.tags?.includes('injected-parameters'));
  // Number cells as the author sees them: the runner's injected cell is not counted.
  return new CellError(`${name}.ipynb`, idx + 1 - (injected ? 1 : 0), cell ? sourceOf(cell) : '', detail);
}

/** Kill a process and all its descendants (a Jupyter kernel runs in a session of its own). */
export function killTree(pid: number): void {
  const all = [pid, ...descendantPids(pid)];
  for (const p of all.reverse()) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Parent pid of every process, from /proc (Linux); empty where /proc is not there. No procps/pgrep needed. */
export function processParents(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const fields = procStatFields(e); // null: exited meanwhile
    if (fields) parents.set(Number(e), Number(fields[1]));
  }
  return parents;
}

/** All descendants of pid (children first found, then theirs), from one /proc snapshot. */
export function descendantPids(pid: number): number[] {
  const parents = processParents();
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p && !out.includes(child)) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

function lastExecutedIndex(nb: Notebook): number {
  for (let i = nb.cells.length - 1; i >= 0; i--) if ((nb.cells[i].outputs?.length ?? 0) > 0) return i;
  return 0;
}
