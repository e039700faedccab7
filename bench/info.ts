/**
 * Speed of the information-theory solvers (lib/info): µs per Blahut–Arimoto and Sinkhorn iteration on
 * n×n kernels (random source, |x−y|² distortion), side by side with the same iterations in Debian's numpy
 * (single-threaded BLAS) when /usr/bin/python3 has numpy, plus the time to compute the whole Fig. 1.
 * Run: node dist/bench/info.js   (keeps well under 60 s on the 2-core machine)
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Rng } from '../lib/core/index.js';
import { baStep, sinkhornSweep, sinkhornColumn } from '../lib/info/kernels.js';
import { makeEngine, engineKind } from '../lib/info/engine.js';
import { rdCurve, zepeCurve } from '../lib/info/index.js';

export interface BenchRow {
  kernel: 'blahut-arimoto' | 'sinkhorn';
  n: number;
  oursUs: number;
  numpyUs: number | null;
}

export interface InfoBenchResult {
  rows: BenchRow[];
  fig1Ms: number;
  fig1Points: { conventional: number; zepe: number };
  numpy: string | null;
  engine: string;
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

function timeIt(reps: number, iters: number, step: () => void): number {
  for (let i = 0; i < iters; i++) step(); // warm-up (JIT)
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) step();
    t.push(Number(process.hrtime.bigint() - t0) / 1e3 / iters);
  }
  return median(t);
}

function benchOurs(n: number): { ba: number; sk: number } {
  const { p, K } = problem(n);
  const iters = itersFor(n);
  const eb = makeEngine(K, n, n, p);
  eb.v.subarray(0, n).fill(1 / n);
  const ba = timeIt(11, iters, () => { baStep(eb, p); });
  const es = makeEngine(K, n, n, p);
  es.v.subarray(0, n).fill(1);
  const sk = timeIt(11, iters, () => { sinkhornSweep(es, p, p); sinkhornColumn(es, p); });
  return { ba, sk };
}

const PY = String.raw`
import sys, time, json
import numpy as np
beta = float(sys.argv[1]); sizes = [int(s) for s in sys.argv[2].split(',')]
out = {'numpy': np.__version__}
def med(a): return sorted(a)[len(a)//2]
def timeit(reps, iters, f):
    for _ in range(iters): f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters): f()
        ts.append((time.perf_counter() - t0) / iters * 1e6)
    return med(ts)
for n in sizes:
    rng = np.random.default_rng(n)
    p = 0.05 + rng.random(n); p /= p.sum()
    i = np.arange(n)
    K = np.exp(-beta * ((i[:, None] - i[None, :]) / (n - 1)) ** 2)
    KT = K.T
    iters = max(2, round(8e6 / (n * n)))
    st = {'q': np.full(n, 1.0 / n)}
    def ba():
        q = st['q']
        z = K @ q
        c = KT @ (p / z)
        gap = np.log(c.max())   # the same bound on Blahut's gap as ours (one log per iteration)
        q = q * c
        q[q < 1e-280] = 0       # ours flushes dying letters too
        st['q'] = q
    sk = {'u': np.ones(n), 'v': np.ones(n)}
    def sinkhorn():  # POT's sinkhorn_knopp inner loop, with the marginal error every iteration as ours
        v = sk['v']
        u = p / (K @ v)
        ktu = KT @ u
        err = np.abs(v * ktu - p).max()
        sk['v'] = p / ktu; sk['u'] = u
    out[str(n)] = {"ba": timeit(11, iters, ba), "sk": timeit(11, iters, sinkhorn)}
print(json.dumps(out))
`;

function benchNumpy(): { version: string; times: Map<number, { ba: number; sk: number }> } | null {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync('/usr/bin/python3', ['-c', PY, String(BETA), SIZES.join(',')], { encoding: 'utf8', env, timeout: 40000 });
  if (r.status !== 0) {
    console.warn(`numpy benchmark failed: ${r.stderr || r.error}`);
    return null;
  }
  const j = JSON.parse(r.stdout) as Record<string, { ba: number; sk: number } | string>;
  const times = new Map<number, { ba: number; sk: number }>();
  for (const n of SIZES) times.set(n, j[String(n)] as { ba: number; sk: number });
  return { version: j.numpy as string, times };
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
  const np = benchNumpy();
  for (const n of SIZES) {
    const o = benchOurs(n);
    const t = np?.times.get(n);
    rows.push({ kernel: 'blahut-arimoto', n, oursUs: o.ba, numpyUs: t ? t.ba : null });
    rows.push({ kernel: 'sinkhorn', n, oursUs: o.sk, numpyUs: t ? t.sk : null });
  }
  const f = benchFig1();
  return { rows, fig1Ms: f.ms, fig1Points: { conventional: f.conventional, zepe: f.zepe }, numpy: np ? np.version : null, engine: engineKind() };
}

export function formatInfoBench(r: InfoBenchResult): string {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const lines = [
    `ours: ${r.engine} (n·m ≥ 4096; plain JS below), Node ${process.versions.node}`,
    `numpy: ${r.numpy ? `${r.numpy} (/usr/bin/python3, OPENBLAS_NUM_THREADS=1)` : 'not available'}`,
    '',
    '| kernel | n×n | ours µs/iter | numpy µs/iter | numpy/ours |',
    '|---|---:|---:|---:|---:|',
    ...r.rows.map((b) => `| ${b.kernel} | ${b.n}² | ${fmt(b.oursUs)} | ${b.numpyUs === null ? '—' : fmt(b.numpyUs)} | ${b.numpyUs === null ? '—' : (b.numpyUs / b.oursUs).toFixed(2)} |`),
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
