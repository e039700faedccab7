/**
 * Training throughput of lib/nn on each available tfjs backend, side by side in the same run with Debian's
 * python3-torch (one thread, OpenBLAS pinned to one thread) when `/usr/bin/python3 -c "import torch"` works
 * (install it with scripts/bench-peers.sh). Under 2 minutes in total:
 * each (model, backend) pair gets a small time budget (cpu convolutions are very slow, so they get 1–2 steps).
 * Run: node dist/bench/nn.js   (env NN_BENCH_BUDGET_MS overrides the per-pair budget, default 4000)
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Rng } from '../lib/core/index.js';
import {
  tf, Adam, initBackend, loadWasmBackend, describeBackend, type Params, initDense, denseLayer, initConv2d, conv2dLayer,
  initConvTranspose2d, convTranspose2dLayer, vectorQuantize, disposeParams,
} from '../lib/nn/index.js';

export interface NnBenchRow {
  readonly model: string;
  readonly backend: string;
  readonly msPerStep: number;
  readonly steps: number;
  /** Set when the figure is extrapolated (cpu conv: a smaller batch, scaled linearly). */
  readonly note?: string;
}

interface Model {
  readonly name: string;
  readonly params: Params;
  readonly loss: () => tf.Scalar;
}

function randn(rng: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))) as Float32Array, shape);
}

/** MLP 784-512-256-10, ReLU, softmax cross-entropy, batch 64. */
function mlp(rng: Rng): Model {
  const p: Params = {};
  initDense(p, 'l1', { inDim: 784, outDim: 512, rng });
  initDense(p, 'l2', { inDim: 512, outDim: 256, rng });
  initDense(p, 'l3', { inDim: 256, outDim: 10, rng });
  const x = randn(rng, [64, 784]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, () => rng.int(10)), 'int32'), 10);
  const loss = () => {
    const h = tf.relu(denseLayer(p, 'l2', tf.relu(denseLayer(p, 'l1', x))));
    return tf.losses.softmaxCrossEntropy(y, denseLayer(p, 'l3', h)) as tf.Scalar;
  };
  return { name: 'MLP 784-512-256-10, b64', params: p, loss };
}

/** Conv autoencoder 32×32×3, batch 32: conv s2 3→32→64 (8×8), transposed convs back, MSE. */
function convAe(rng: Rng, batch = 32): Model {
  const p: Params = {};
  initConv2d(p, 'e1', { k: 3, cin: 3, cout: 32, rng });
  initConv2d(p, 'e2', { k: 3, cin: 32, cout: 64, rng });
  initConvTranspose2d(p, 'd1', { k: 4, cin: 64, cout: 32, rng });
  initConvTranspose2d(p, 'd2', { k: 4, cin: 32, cout: 3, rng });
  const x = randn(rng, [batch, 32, 32, 3]) as tf.Tensor4D;
  const loss = () => {
    const h = tf.relu(conv2dLayer(p, 'e2', tf.relu(conv2dLayer(p, 'e1', x, 2)), 2)) as tf.Tensor4D;
    const r = convTranspose2dLayer(p, 'd2', tf.relu(convTranspose2dLayer(p, 'd1', h)) as tf.Tensor4D);
    return tf.losses.meanSquaredError(x, r) as tf.Scalar;
  };
  return { name: 'conv AE 32×32×3, b32', params: p, loss }; // b32-equivalent name even when timed at a smaller batch
}

/** VQ layer: dense 64→64, nearest of 512 codewords (straight-through), dense back; MSE + codebook + 0.25·commitment. */
function vq(rng: Rng): Model {
  const p: Params = {};
  initDense(p, 'enc', { inDim: 64, outDim: 64, rng });
  initDense(p, 'dec', { inDim: 64, outDim: 64, rng });
  p.codebook = tf.variable(randn(rng, [512, 64]));
  const x = randn(rng, [256, 64]);
  const loss = () => {
    const vq = vectorQuantize(denseLayer(p, 'enc', x), p.codebook as tf.Variable<tf.Rank.R2>);
    const rec = tf.losses.meanSquaredError(x, denseLayer(p, 'dec', vq.zq));
    return tf.addN([rec, vq.codebookLoss, tf.mul(vq.commitmentLoss, 0.25)]) as tf.Scalar;
  };
  return { name: 'VQ layer K=512 D=64, b256', params: p, loss };
}

const MODELS = [mlp, convAe, vq];

function timeModel(make: (rng: Rng) => Model, backend: string, budgetMs: number): NnBenchRow {
  // The cpu backend needs ~15–45 s per conv-AE step at batch 32: time batch 4 and scale (conv cost is linear in batch).
  const scale = backend === 'cpu' && make === convAe ? 8 : 1;
  const m = scale > 1 ? convAe(new Rng(1), 32 / scale) : make(new Rng(1));
  const opt = new Adam(m.params, { lr: 1e-3 });
  const vars = Object.values(m.params);
  const names = new Map(Object.entries(m.params).map(([k, v]) => [v.name, k]));
  const step = () => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(m.loss, vars);
    opt.apply(Object.fromEntries(Object.entries(grads).map(([k, g]) => [names.get(k) as string, g])));
    return value.dataSync()[0];
  });
  const w0 = performance.now();
  step(); // warm-up: kernel set-up, first allocations
  const warmMs = performance.now() - w0;
  const times: number[] = [];
  const t0 = performance.now();
  if (warmMs > budgetMs / 2) times.push(warmMs); // very slow: the warm-up step is the measurement
  while (times.length < 200 && (times.length === 0 || performance.now() - t0 + warmMs < budgetMs)) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  opt.dispose();
  disposeParams(m.params);
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)] * scale;
  return { model: m.name, backend, msPerStep: ms, steps: times.length, note: scale > 1 ? `batch ${32 / scale} × ${scale}` : undefined };
}

/**
 * The same three models in torch, same shapes, batch sizes, losses and Adam: NCHW instead of NHWC is the only
 * layout difference. One thread (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1), as tfjs-wasm in Node has one.
 * argv[1] = per-model budget in ms. Prints one JSON line: {meta, mlp, ae, vq}.
 */
const TORCH = String.raw`
import json, sys, time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(1)
def bench(model, loss_fn, budget):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    def step():
        opt.zero_grad(); l = loss_fn(); l.backward(); opt.step(); return l.item()
    w = time.perf_counter(); step(); warm = time.perf_counter() - w
    ts = []; t0 = time.perf_counter()
    while len(ts) < 200 and (not ts or time.perf_counter() - t0 + warm < budget):
        t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
    ts.sort(); return {"msPerStep": 1000 * ts[len(ts) // 2], "steps": len(ts)}
budget = float(sys.argv[1]) / 1000
out = {}
mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
x = torch.randn(64, 784); y = torch.randint(0, 10, (64,))
out["mlp"] = bench(mlp, lambda: F.cross_entropy(mlp(x), y), budget)
class AE(nn.Module):
    # k3 s2 p1 halves 32 -> 16 -> 8 and k4 s2 p1 doubles back: the shapes of tfjs 'same' padding.
    def __init__(s):
        super().__init__()
        s.e1 = nn.Conv2d(3, 32, 3, 2, 1); s.e2 = nn.Conv2d(32, 64, 3, 2, 1)
        s.d1 = nn.ConvTranspose2d(64, 32, 4, 2, 1); s.d2 = nn.ConvTranspose2d(32, 3, 4, 2, 1)
    def forward(s, x):
        return s.d2(F.relu(s.d1(F.relu(s.e2(F.relu(s.e1(x)))))))
ae = AE(); xi = torch.randn(32, 3, 32, 32)
out["ae"] = bench(ae, lambda: F.mse_loss(ae(xi), xi), budget)
class VQ(nn.Module):
    def __init__(s):
        super().__init__()
        s.enc = nn.Linear(64, 64); s.dec = nn.Linear(64, 64); s.cb = nn.Parameter(torch.randn(512, 64))
    def forward(s, x):
        z = s.enc(x)
        with torch.no_grad():  # as lib/nn's nearestCodewordLookup: the search is off the tape
            idx = ((s.cb ** 2).sum(1) - 2 * z @ s.cb.t()).argmin(1)
        q = s.cb[idx]
        st = z + (q - z).detach()
        return F.mse_loss(s.dec(st), x) + F.mse_loss(q, z.detach()) + 0.25 * F.mse_loss(z, q.detach())
vqm = VQ(); xv = torch.randn(256, 64)
out["vq"] = bench(vqm, lambda: vqm(xv), budget)
blas = sorted({l.split()[-1].split("/")[-1] for l in open("/proc/self/maps") if "blas" in l})
out["meta"] = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}
print(json.dumps(out))
`;

const TORCH_LABEL = 'torch (1 thread)';
const TORCH_KEYS = [['mlp', 'MLP 784-512-256-10, b64'], ['ae', 'conv AE 32×32×3, b32'], ['vq', 'VQ layer K=512 D=64, b256']] as const;

interface TorchResult {
  readonly rows: NnBenchRow[];
  readonly note: string;
}

/** Runs the torch twin of the models with Debian's /usr/bin/python3 (see scripts/bench-peers.sh), or says why not. */
function runTorch(budgetMs: number): TorchResult | string {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'torch: not installed (scripts/bench-peers.sh installs python3-torch as root)';
  const r = spawnSync('/usr/bin/python3', ['-c', TORCH, String(budgetMs)], {
    encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    timeout: 60_000 + 6 * budgetMs, // 3 models × (warm-up + budget), generous for a loaded machine
  });
  if (r.status !== 0) return `torch: failed (${(r.stderr || r.error?.message || `signal ${r.signal}`).trim().split('\n').pop()})`;
  const res = JSON.parse(r.stdout.trim().split('\n').pop() as string) as
    Record<string, { msPerStep: number; steps: number }> & { meta: { torch: string; threads: number; blas: string[] } };
  const { meta } = res;
  const note = `torch ${meta.torch}, ${meta.threads} thread, BLAS ${meta.blas.join(', ') || 'none loaded'}`;
  return { rows: TORCH_KEYS.map(([k, model]) => ({ model, backend: TORCH_LABEL, msPerStep: res[k].msPerStep, steps: res[k].steps })), note };
}

export async function runNnBench(budgetMs = Number(process.env.NN_BENCH_BUDGET_MS ?? 4000)): Promise<{ rows: NnBenchRow[]; notes: string[] }> {
  const rows: NnBenchRow[] = [];
  const notes: string[] = [];
  const choice = await initBackend();
  notes.push(describeBackend());
  // Shared 2-core machines: a load above ~1 before the run means the figures are slowed by other processes.
  notes.push(`load average before the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} cores)`);
  loadWasmBackend();
  const backends = [...new Set([choice.name, 'wasm', 'cpu'])];
  for (const b of backends) {
    if (!(await tf.setBackend(b).catch(() => false))) {
      notes.push(`${b}: unavailable`);
      continue;
    }
    for (const make of MODELS) rows.push(timeModel(make, b, budgetMs));
  }
  const torch = runTorch(budgetMs);
  if (typeof torch === 'string') notes.push(torch);
  else {
    notes.push(torch.note);
    rows.push(...torch.rows);
  }
  return { rows, notes };
}

/** Markdown table: one row per model, a column per backend, ratios against torch (or wasm without torch). */
export function formatNnBench(rows: readonly NnBenchRow[]): string {
  const backends = [...new Set(rows.map((r) => r.backend))];
  const ref = backends.find((b) => b.startsWith('torch')) ?? 'wasm';
  const head = `| model | ${backends.map((b) => `${b} ms/step (steps/s)`).join(' | ')} | ${backends.filter((b) => b !== ref).map((b) => `${b} / ${ref}`).join(' | ')} |`;
  const lines = [head, `|${'---|'.repeat(1 + backends.length + backends.length - 1)}`];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const at = (b: string) => rows.find((r) => r.model === model && r.backend === b);
    const cells = backends.map((b) => {
      const r = at(b);
      return r ? `${r.msPerStep.toFixed(1)} (${(1000 / r.msPerStep).toFixed(2)}, n=${r.steps}${r.note ? `, est. from ${r.note}` : ''})` : '–';
    });
    const ratios = backends.filter((b) => b !== ref).map((b) => {
      const r = at(b), q = at(ref);
      return r && q ? `${(r.msPerStep / q.msPerStep).toFixed(2)}×` : '–';
    });
    lines.push(`| ${model} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const { rows, notes } = await runNnBench();
  console.log(notes.join('\n'));
  console.log(formatNnBench(rows));
  console.log(`(total ${((Date.now() - t0) / 1000).toFixed(1)} s; ratio = time per step relative to the reference column, lower is faster)`);
}
