/**
 * Training throughput of the four paper models (issue 15): the project's own training step (forward, backward,
 * Adam update; bench/paper-models.ts builds it from lib/papers/<paper>/ and lib/nn's makeTrainStep) against a
 * PyTorch mirror of the same model (bench/peers/<paper>.py: same layer shapes, norms, activations, loss terms,
 * optimizer and batch), run by Debian's python3-torch on one thread (scripts/bench-peers.sh installs it).
 *
 * Method: both sides build their model; the bench stops with a non-zero exit if the parameter counts differ (the
 * mirror no longer mirrors). After two warm-up steps each, the sides take turns — tfjs runs a batch of steps, then
 * the long-lived python peer runs a batch, and so on (A, B, A, B, …) for `--rounds` rounds of about `--round-ms`
 * each — so slow drift of the machine's load hits both alike and they never compete for a core. Each step is timed
 * on its own; the table shows the medians, ratio = torch ms / tfjs ms (≥ 1: tfjs faster), and the load average
 * before and after. Rows go to build/bench/nn.json as { model, config, params, tfjsMsPerStep, torchMsPerStep,
 * ratio } (torch fields null when the peer is missing), plus the same three from process CPU time (tfjsCpuMsPerStep,
 * torchCpuMsPerStep, cpuRatio): on a loaded machine wall time mostly measures waiting for a core, CPU time much less.
 * Without torch the tfjs column still prints.
 *
 * Run:
 *   node dist/bench/nn.js [--models vscc,codebook] [--rounds 7] [--round-ms 1500]
 *   node dist/bench/nn.js --profile-step vscc [--steps 3]   top kernels of one step and the time outside kernels
 * Rows: vscc, e2ec-sweep, e2ec-authors, codebook (see bench/paper-models.ts for what each is). bench/README.md
 * says more. Timing on a shared machine is noisy: compare ratios from the same run, and read the load average.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot, writeJsonAtomic } from '../lib/core/index.js';
import { describeBackend, initBackend } from '../lib/nn/index.js';
import { PAPER_MODELS, buildBenchModel, paramCount, type PaperModel } from './paper-models.js';
import { formatProfile, profileSteps } from './step-profile.js';
import {
  CEILING_CASES, caseFlops, caseShapes, checksumsAgree, shapeLabel, tfjsKernel, type CeilingCase,
} from './kernel-ceiling.js';
import { PYTHON, PythonPeer, peerScript, type PeerInfo } from './python-peer.js';

export interface NnRow {
  readonly model: PaperModel;
  readonly config: string;
  readonly params: number;
  readonly tfjsMsPerStep: number;
  readonly torchMsPerStep: number | null;
  /** torch ms / tfjs ms; null when the peer is missing. */
  readonly ratio: number | null;
  /** The same from process CPU time (each side's own process), steadier than wall time on a loaded machine. */
  readonly tfjsCpuMsPerStep: number;
  readonly torchCpuMsPerStep: number | null;
  readonly cpuRatio: number | null;
  /** Timed steps behind each median. */
  readonly tfjsSteps: number;
  readonly torchSteps: number;
}

export interface NnBenchOptions {
  readonly models: readonly PaperModel[];
  readonly rounds: number;
  readonly roundMs: number;
  /** Run the kernel-ceiling section (bench/kernel-ceiling.ts) after the models. */
  readonly ceiling: boolean;
  /** Length of one side's turn in the kernel-ceiling section, milliseconds. */
  readonly ceilingRoundMs: number;
}

/** One kernel-ceiling case: medians per call, GFLOP/s of each side, ratio = torch ms / tfjs ms. */
export interface CeilingRow {
  readonly id: string;
  readonly kind: CeilingCase['kind'];
  readonly shape: string;
  /** Floating-point operations per call (kernel-ceiling.ts caseFlops). */
  readonly flops: number;
  readonly tfjsMsPerCall: number;
  readonly torchMsPerCall: number | null;
  readonly tfjsGflops: number;
  readonly torchGflops: number | null;
  readonly ratio: number | null;
  readonly tfjsCpuMsPerCall: number;
  readonly torchCpuMsPerCall: number | null;
  readonly cpuRatio: number | null;
  readonly tfjsCalls: number;
  readonly torchCalls: number;
}

export interface CeilingResult {
  readonly rows: CeilingRow[];
  readonly loadBefore: string;
  readonly loadAfter: string;
}

function median(a: readonly number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Steps per turn so that one turn takes about `roundMs` (at least 1, at most `max`). */
function stepsPerTurn(msPerStep: number, roundMs: number, max = 100): number {
  return Math.max(1, Math.min(max, Math.round(roundMs / Math.max(msPerStep, 1e-3))));
}

function finite(model: string, side: string, loss: number | null): void {
  if (loss === null || !Number.isFinite(loss)) {
    throw new RangeError(`${model}: the ${side} step's loss is ${loss}: the bench model diverged`);
  }
}

async function benchModel(model: PaperModel, peer: PythonPeer | null, o: NnBenchOptions): Promise<NnRow> {
  const bm = buildBenchModel(model);
  try {
    const params = paramCount(bm.params);
    if (peer) {
      const t = await peer.build(model, bm.spec);
      if (t.params !== params) {
        const tensors = Object.keys(bm.params).length;
        throw new RangeError(`${model}: parameter counts differ: tfjs ${params} (${tensors} tensors), `
          + `torch mirror ${t.params} (${t.tensors} tensors): bench/peers/ no longer mirrors lib/papers/`);
      }
    }
    const tfjs: number[] = [];
    const torch: number[] = [];
    const tfjsCpu: number[] = [];
    const torchCpu: number[] = [];
    const timeTfjs = (n: number, into: number[], cpuInto: number[]) => {
      for (let i = 0; i < n; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const loss = bm.step();
        into.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpuInto.push((c.user + c.system) / 1000);
        finite(model, 'tfjs', loss);
      }
    };
    const warmTf: number[] = [];
    timeTfjs(2, warmTf, []);
    const nTf = stepsPerTurn(warmTf[1], o.roundMs);
    let nTh = 0;
    if (peer) {
      const w = await peer.steps(model, 2);
      finite(model, 'torch', w.loss);
      nTh = stepsPerTurn(w.ms[1], o.roundMs);
    }
    for (let r = 0; r < o.rounds; r++) {
      timeTfjs(nTf, tfjs, tfjsCpu);
      if (peer) {
        const b = await peer.steps(model, nTh);
        finite(model, 'torch', b.loss);
        torch.push(...b.ms);
        torchCpu.push(...b.cpuMs);
      }
    }
    if (peer) await peer.free(model);
    const tfMs = median(tfjs);
    const thMs = peer ? median(torch) : null;
    const tfCpu = median(tfjsCpu);
    const thCpu = peer ? median(torchCpu) : null;
    return {
      model, config: bm.config, params,
      tfjsMsPerStep: tfMs, torchMsPerStep: thMs, ratio: thMs === null ? null : thMs / tfMs,
      tfjsCpuMsPerStep: tfCpu, torchCpuMsPerStep: thCpu, cpuRatio: thCpu === null ? null : thCpu / tfCpu,
      tfjsSteps: tfjs.length, torchSteps: torch.length,
    };
  } finally {
    bm.dispose();
  }
}

/**
 * One kernel-ceiling case, both sides interleaved as the models are (tfjs turn, torch turn, … for `rounds`
 * rounds); the two outputs must agree (same shape, checksums within float rounding) before anything is timed.
 */
async function benchKernel(c: CeilingCase, peer: PythonPeer | null, o: NnBenchOptions): Promise<CeilingRow> {
  const k = tfjsKernel(c);
  try {
    const mine = k.check();
    const expected = caseShapes(c).output;
    if (mine.shape.join() !== expected.join()) {
      throw new RangeError(`kernel ${c.id}: tfjs output shape [${mine.shape}], expected [${expected}]`);
    }
    if (peer) {
      const theirs = await peer.kernelBuild(c);
      if (theirs.shape.join() !== expected.join() || !checksumsAgree(mine, theirs)) {
        throw new RangeError(`kernel ${c.id}: torch and tfjs compute different products: shapes [${theirs.shape}] `
          + `and [${mine.shape}], checksums ${theirs.sum} and ${mine.sum} (scale ${mine.scale}): `
          + 'bench/peers/kernels.py no longer mirrors bench/kernel-ceiling.ts');
      }
    }
    const tfjs: number[] = [];
    const tfjsCpu: number[] = [];
    const torch: number[] = [];
    const torchCpu: number[] = [];
    const timeTfjs = (n: number, into: number[], cpuInto: number[]) => {
      for (let i = 0; i < n; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        k.run();
        into.push(performance.now() - t0);
        const u = process.cpuUsage(c0);
        cpuInto.push((u.user + u.system) / 1000);
      }
    };
    const warm: number[] = [];
    timeTfjs(3, warm, []);
    const nTf = stepsPerTurn(median(warm), o.ceilingRoundMs, 1000);
    let nTh = 0;
    if (peer) {
      const w = await peer.kernelRun(c.id, 3);
      nTh = stepsPerTurn(median(w.ms), o.ceilingRoundMs, 1000);
    }
    for (let r = 0; r < o.rounds; r++) {
      timeTfjs(nTf, tfjs, tfjsCpu);
      if (peer) {
        const b = await peer.kernelRun(c.id, nTh);
        torch.push(...b.ms);
        torchCpu.push(...b.cpuMs);
      }
    }
    if (peer) await peer.kernelFree(c.id);
    const flops = caseFlops(c);
    const tfMs = median(tfjs);
    const thMs = peer ? median(torch) : null;
    const tfCpu = median(tfjsCpu);
    const thCpu = peer ? median(torchCpu) : null;
    const gflops = (ms: number) => flops / (ms * 1e6);
    return {
      id: c.id, kind: c.kind, shape: shapeLabel(c), flops,
      tfjsMsPerCall: tfMs, torchMsPerCall: thMs, tfjsGflops: gflops(tfMs), torchGflops: thMs === null ? null : gflops(thMs),
      ratio: thMs === null ? null : thMs / tfMs,
      tfjsCpuMsPerCall: tfCpu, torchCpuMsPerCall: thCpu, cpuRatio: thCpu === null ? null : thCpu / tfCpu,
      tfjsCalls: tfjs.length, torchCalls: torch.length,
    };
  } finally {
    k.dispose();
  }
}

export interface NnBenchResult {
  readonly rows: NnRow[];
  /** The kernel-ceiling section; null when it was not run. */
  readonly ceiling: CeilingResult | null;
  readonly backend: string;
  readonly peer: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

/** Runs the paper-model rows (the peer is started once and shared by all models). */
export async function runNnBench(o: NnBenchOptions): Promise<NnBenchResult> {
  await initBackend();
  const loadBefore = load();
  const found = peerScript();
  let peer: PythonPeer | null = null;
  let peerNote: string;
  if ('script' in found) {
    const started = await PythonPeer.start(found.script);
    peer = started.peer;
    const i: PeerInfo = started.info;
    peerNote = `torch ${i.torch}, ${i.threads} thread, BLAS ${i.blas.join(', ') || 'none loaded'} (${PYTHON})`;
  } else peerNote = `peer missing: ${found.missing}`;
  const rows: NnRow[] = [];
  let ceiling: CeilingResult | null = null;
  let loadAfter = loadBefore;
  try {
    for (const m of o.models) rows.push(await benchModel(m, peer, o));
    loadAfter = load();
    if (o.ceiling) {
      const before = load();
      const crows: CeilingRow[] = [];
      for (const c of CEILING_CASES) crows.push(await benchKernel(c, peer, o));
      ceiling = { rows: crows, loadBefore: before, loadAfter: load() };
    }
  } finally {
    await peer?.close();
  }
  return { rows, ceiling, backend: describeBackend(), peer: peerNote, loadBefore, loadAfter };
}

export function formatNnBench(r: NnBenchResult): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const lines = [`tfjs: ${r.backend}; torch: ${r.peer}`];
  if (r.rows.length > 0) {
    lines.push(
      `load average before ${r.loadBefore}, after ${r.loadAfter} (${cpus().length} cores)`,
      '',
      '| model | configuration | params | tfjs ms/step | torch ms/step | torch / tfjs '
        + '| CPU ms/step tfjs, torch | CPU ratio |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const x of r.rows) {
      const th = x.torchMsPerStep === null ? '—' : `${f(x.torchMsPerStep)} (n=${x.torchSteps})`;
      const ratio = x.ratio === null ? 'peer missing' : x.ratio.toFixed(2);
      const cpu = `${f(x.tfjsCpuMsPerStep)}, ${x.torchCpuMsPerStep === null ? '—' : f(x.torchCpuMsPerStep)}`;
      const cpuRatio = x.cpuRatio === null ? 'peer missing' : x.cpuRatio.toFixed(2);
      const tf = `${f(x.tfjsMsPerStep)} (n=${x.tfjsSteps})`;
      const params = x.params.toLocaleString('en');
      lines.push(`| ${x.model} | ${x.config} | ${params} | ${tf} | ${th} | ${ratio} | ${cpu} | ${cpuRatio} |`);
    }
    lines.push('',
      'medians of per-step wall times, sides interleaved; ratio = torch / tfjs (≥ 1: tfjs faster; issue 15: ≥ 0.5).',
      'CPU: the same from each process\'s CPU time (tfjs\' includes V8\'s GC helper threads); steadier under load.');
  }
  if (r.ceiling) lines.push('', formatCeiling(r.ceiling));
  return lines.join('\n');
}

/** The kernel-ceiling table (bench/kernel-ceiling.ts). */
export function formatCeiling(c: CeilingResult): string {
  const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(3));
  const g = (v: number) => v.toFixed(1);
  const lines = [
    `kernel ceiling: raw kernels at the paper models' shapes; load average before ${c.loadBefore}, `
      + `after ${c.loadAfter} (${cpus().length} cores)`,
    '',
    '| kernel | operands → output | MFLOP | tfjs ms | torch ms | tfjs GFLOP/s | torch GFLOP/s | torch / tfjs '
      + '| CPU ratio |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of c.rows) {
    const th = x.torchMsPerCall === null ? '—' : ms(x.torchMsPerCall);
    const thG = x.torchGflops === null ? '—' : g(x.torchGflops);
    const ratio = x.ratio === null ? 'peer missing' : x.ratio.toFixed(2);
    const cpuRatio = x.cpuRatio === null ? 'peer missing' : x.cpuRatio.toFixed(2);
    lines.push(`| ${x.id} | ${x.shape} | ${(x.flops / 1e6).toFixed(1)} | ${ms(x.tfjsMsPerCall)} | ${th} `
      + `| ${g(x.tfjsGflops)} | ${thG} | ${ratio} | ${cpuRatio} |`);
  }
  lines.push('',
    'medians of per-call wall times, sides interleaved per kernel; GFLOP/s = 2·MACs / median; ratio = torch / tfjs;',
    'CPU ratio: the same from process CPU time. Both sides\' outputs were checked equal (checksum) before timing.');
  return lines.join('\n');
}

function ceilingJson(c: CeilingResult, o: NnBenchOptions): Record<string, unknown> {
  return {
    date: new Date().toISOString(), loadAverageBefore: c.loadBefore, loadAverageAfter: c.loadAfter,
    rounds: o.rounds, roundMs: o.ceilingRoundMs,
    rows: c.rows.map((x) => ({ ...x })),
  };
}

/**
 * build/bench/nn.json: the model rows (schema above) and, under `kernelCeiling`, the ceiling section. A
 * `--ceiling-only` run replaces only `kernelCeiling` of an existing file (its model rows, with their own date and
 * load averages, stay); without a file it writes one with no model rows.
 */
function writeJson(r: NnBenchResult, o: NnBenchOptions): string {
  const dir = join(projectRoot(), 'build', 'bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'nn.json');
  if (o.models.length === 0 && r.ceiling) {
    let prev: Record<string, unknown> | null = null;
    if (existsSync(path)) {
      try {
        prev = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      } catch {
        prev = null; // unreadable: written anew below
      }
    }
    if (prev) {
      writeJsonAtomic(path, { ...prev, kernelCeiling: ceilingJson(r.ceiling, o) });
      return path;
    }
  }
  const doc = {
    date: new Date().toISOString(), node: process.version, cores: cpus().length, tfjs: r.backend, torch: r.peer,
    loadAverageBefore: r.loadBefore, loadAverageAfter: r.loadAfter, rounds: o.rounds, roundMs: o.roundMs,
    rows: r.rows.map((x) => ({
      model: x.model, config: x.config, params: x.params,
      tfjsMsPerStep: x.tfjsMsPerStep, torchMsPerStep: x.torchMsPerStep, ratio: x.ratio,
      tfjsCpuMsPerStep: x.tfjsCpuMsPerStep, torchCpuMsPerStep: x.torchCpuMsPerStep, cpuRatio: x.cpuRatio,
    })),
    ...(r.ceiling ? { kernelCeiling: ceilingJson(r.ceiling, o) } : {}),
  };
  writeJsonAtomic(path, doc);
  return path;
}

interface Cli extends NnBenchOptions {
  readonly profile: PaperModel | null;
  readonly profileSteps: number;
}

function asModel(v: string): PaperModel {
  if (!(PAPER_MODELS as readonly string[]).includes(v)) {
    throw new RangeError(`model must be one of ${PAPER_MODELS.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as PaperModel;
}

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${flag} must be an integer >= 1, got ${JSON.stringify(v)}`);
  return n;
}

export function parseNnArgs(argv: readonly string[]): Cli {
  let models: PaperModel[] = [...PAPER_MODELS];
  let rounds = 7;
  let roundMs = 1500;
  let profile: PaperModel | null = null;
  let steps = 3;
  let ceiling = true;
  let ceilingOnly = false;
  let ceilingRoundMs = 300;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new RangeError(`${a} needs a value`);
      return x;
    };
    if (a === '--models') models = v().split(',').map(asModel);
    else if (a === '--rounds') rounds = positiveInt(a, v());
    else if (a === '--round-ms') roundMs = positiveInt(a, v());
    else if (a === '--profile-step') profile = asModel(v());
    else if (a === '--steps') steps = positiveInt(a, v());
    else if (a === '--no-ceiling') ceiling = false;
    else if (a === '--ceiling-only') ceilingOnly = true;
    else if (a === '--ceiling-round-ms') ceilingRoundMs = positiveInt(a, v());
    else {
      throw new RangeError(`unknown argument ${JSON.stringify(a)}; use --models a,b --rounds n --round-ms ms `
        + '[--no-ceiling | --ceiling-only] [--ceiling-round-ms ms], or --profile-step <model> [--steps n]');
    }
  }
  if (ceilingOnly && !ceiling) throw new RangeError('--ceiling-only and --no-ceiling exclude each other');
  if (ceilingOnly) models = [];
  return { models, rounds, roundMs, ceiling, ceilingRoundMs, profile, profileSteps: steps };
}

async function profileMain(model: PaperModel, steps: number): Promise<void> {
  await initBackend();
  const bm = buildBenchModel(model);
  try {
    for (let i = 0; i < 3; i++) bm.step(); // warm-up: kernel set-up, first allocations
    console.log(`${describeBackend()}; load average ${load()}`);
    const title = `${model} (${bm.config}; ${paramCount(bm.params).toLocaleString('en')} params)`;
    console.log(formatProfile(title, profileSteps(bm.step, steps)));
  } finally {
    bm.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const cli = parseNnArgs(process.argv.slice(2));
    if (cli.profile) await profileMain(cli.profile, cli.profileSteps);
    else {
      const t0 = Date.now();
      const r = await runNnBench(cli);
      console.log(formatNnBench(r));
      console.log(`(written to ${writeJson(r, cli)}; total ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  } catch (err) {
    console.error(`bench nn FAILED: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
