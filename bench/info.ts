/**
 * Speed of the information-theory solvers (lib/info): µs per Blahut–Arimoto and Sinkhorn iteration on
 * n×n kernels (random source, |x−y|² distortion), side by side with the same iterations in Debian's numpy
 * (single-threaded BLAS; bench/peers/info_peer.py, one long-lived process) when /usr/bin/python3 has numpy, plus the
 * time to compute the whole Fig. 1. The two sides take turns repetition by repetition (ours, numpy, ours, …), so a
 * change of the machine's load hits both alike; the table shows medians and numpy/ours (≥ 1: ours faster).
 * Run: node dist/bench/info.js   (keeps well under 60 s on the 2-core machine)
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Rng } from '../lib/core/index.js';
import { baStep, sinkhornSweep, sinkhornColumn } from '../lib/info/kernels.js';
import { makeEngine, engineKind } from '../lib/info/engine.js';
import { rdCurve, zepeCurve } from '../lib/info/index.js';
import { PYTHON, PythonPeer, peerScript } from './python-peer.js';

export interface BenchRow {
  kernel: 'blahut-arimoto' | 'sinkhorn';
  n: number;
  oursUs: number;
  numpyUs: number | null;
  /** The same from process CPU time (steadier than wall time when the machine is loaded). */
  oursCpuUs: number;
  numpyCpuUs: number | null;
}

export interface InfoBenchResult {
  rows: BenchRow[];
  fig1Ms: number;
  fig1Points: { conventional: number; zepe: number };
  numpy: string | null;
  engine: string;
  /** Load averages before and after the timed part. */
  load: string;
}

const SIZES = [64, 512, 2048];
const BETA = 30;

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Iterations per timed repetition: about 8M kernel entries per repetition. */
function itersFor(n: number): number {
  return Math.max(2, Math.round(8e6 / (n * n)));
}

function problem(n: number): { p: Float64Array; K: Float64Array } {
  const rng = new Rng(n);
  const p = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (p[i] = 0.05 + rng.uniform());
  for (let i = 0; i < n; i++) p[i] /= s;
  const K = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) K[x * n + y] = Math.exp(-BETA * ((x - y) / (n - 1)) ** 2);
  }
  return { p, K };
}

interface Times { us: number; cpuUs: number }

/** Wall and process-CPU µs per iteration of `iters` iterations of `step`. */
function timeRep(iters: number, step: () => void): Times {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) step();
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / iters;
  const c = process.cpuUsage(c0);
  return { us, cpuUs: (c.user + c.system) / iters };
}

const medianOf = (t: Times[]): Times => ({ us: median(t.map((x) => x.us)), cpuUs: median(t.map((x) => x.cpuUs)) });

const REPS = 11;

/** Ours and numpy's µs per iteration at size n, repetitions interleaved (numpy null without the peer). */
interface SizeTimes { ba: Times; sk: Times; npBa: Times | null; npSk: Times | null }

async function benchSize(n: number, peer: PythonPeer | null): Promise<SizeTimes> {
  const { p, K } = problem(n);
  const iters = itersFor(n);
  const eb = makeEngine(K, n, n, p);
  eb.v.subarray(0, n).fill(1 / n);
  const ba = () => { baStep(eb, p); };
  const es = makeEngine(K, n, n, p);
  es.v.subarray(0, n).fill(1);
  const sk = () => { sinkhornSweep(es, p, p); sinkhornColumn(es, p); };
  const t = { ba: [] as Times[], sk: [] as Times[], npBa: [] as Times[], npSk: [] as Times[] };
  if (peer) await peer.request({ cmd: 'setup', n, beta: BETA });
  const numpy = (kernel: 'ba' | 'sk'): Promise<Times> =>
    (peer as PythonPeer).request<Times>({ cmd: 'time', n, kernel, iters });
  // warm-up (JIT, caches), then the timed repetitions in turns
  timeRep(iters, ba);
  timeRep(iters, sk);
  if (peer) {
    await numpy('ba');
    await numpy('sk');
  }
  for (let r = 0; r < REPS; r++) {
    t.ba.push(timeRep(iters, ba));
    if (peer) t.npBa.push(await numpy('ba'));
    t.sk.push(timeRep(iters, sk));
    if (peer) t.npSk.push(await numpy('sk'));
  }
  return {
    ba: medianOf(t.ba), sk: medianOf(t.sk), npBa: peer ? medianOf(t.npBa) : null, npSk: peer ? medianOf(t.npSk) : null,
  };
}

/** Fig. 1 of the paper: the conventional and ZEPE curves of Example 1, ≥ 200 points each. */
function benchFig1(): { ms: number; conventional: number; zepe: number } {
  const px = [1, 2, 3, 4, 5, 6].map((x) => x / 21);
  const distortion = [1, 2, 3, 4, 5, 6].map((x) => [1, 2, 3, 4, 5, 6].map((y) => 0.4 * (x - y) ** 2));
  const t0 = performance.now();
  const conv = rdCurve({ px, distortion, points: 200 });
  const z = zepeCurve({ px, distortion, points: 200 });
  return { ms: performance.now() - t0, conventional: conv.length, zepe: z.length };
}

export async function runInfoBench(): Promise<InfoBenchResult> {
  const rows: BenchRow[] = [];
  const found = peerScript('info_peer.py', 'numpy');
  let peer: PythonPeer | null = null;
  let version: string | null = null;
  if ('script' in found) {
    const started = await PythonPeer.start<{ numpy: string }>(found.script);
    peer = started.peer;
    version = started.info.numpy;
  } else console.warn(`numpy peer: ${found.missing}`);
  const loadBefore = loadavg();
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  try {
    for (const n of SIZES) {
      const o = await benchSize(n, peer);
      const row = (kernel: BenchRow['kernel'], ours: Times, np: Times | null): BenchRow => ({
        kernel, n, oursUs: ours.us, numpyUs: np?.us ?? null, oursCpuUs: ours.cpuUs, numpyCpuUs: np?.cpuUs ?? null,
      });
      rows.push(row('blahut-arimoto', o.ba, o.npBa), row('sinkhorn', o.sk, o.npSk));
    }
  } finally {
    await peer?.close();
  }
  const f = benchFig1();
  return {
    rows, fig1Ms: f.ms, fig1Points: { conventional: f.conventional, zepe: f.zepe }, numpy: version,
    engine: engineKind(), load: `${fmtLoad(loadBefore)} before, ${fmtLoad(loadavg())} after`,
  };
}

export function formatInfoBench(r: InfoBenchResult): string {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const lines = [
    `ours: ${r.engine} (n·m ≥ 4096; plain JS below), Node ${process.versions.node}`,
    `numpy: ${r.numpy ? `${r.numpy} (${PYTHON}, OPENBLAS_NUM_THREADS=1)` : 'not available'}`,
    `load average ${r.load}`,
    '',
    '| kernel | n×n | ours µs/iter | numpy µs/iter | numpy/ours | CPU µs ours, numpy | CPU numpy/ours |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map((b) => `| ${b.kernel} | ${b.n}² | ${fmt(b.oursUs)} | ${b.numpyUs === null ? '—' : fmt(b.numpyUs)} | `
      + `${b.numpyUs === null ? '—' : (b.numpyUs / b.oursUs).toFixed(2)} | `
      + `${fmt(b.oursCpuUs)}, ${b.numpyCpuUs === null ? '—' : fmt(b.numpyCpuUs)} | `
      + `${b.numpyCpuUs === null ? '—' : (b.numpyCpuUs / b.oursCpuUs).toFixed(2)} |`),
    '(medians of 11 interleaved repetitions; CPU: each process\'s CPU time, steadier than wall time under load)',
    '',
    `Fig. 1 (Example 1, conventional ${r.fig1Points.conventional} + ZEPE ${r.fig1Points.zepe} points): ${r.fig1Ms.toFixed(0)} ms — under 1 s: ${r.fig1Ms < 1000 ? 'YES' : 'NO'}`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const r = await runInfoBench();
  console.log(formatInfoBench(r));
  console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
