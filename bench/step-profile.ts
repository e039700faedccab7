/**
 * Where a training step's time goes, kernel by kernel (`node dist/bench/nn.js --profile-step <model>`).
 *
 * Engine-level timing: every kernel call goes through tfjs' Engine.runKernelFunc (registered kernels, and the
 * forward functions of tf.customGrad ops), so wrapping it on the engine instance times each call with
 * performance.now(). tfjs-wasm kernels are synchronous, so the wall time of a call is its cost. A kernel may run
 * other kernels inside it (a composed gradient kernel, a custom op's forward function): per kernel name we keep the
 * calls, the inclusive time, and the self time (inclusive minus the kernels nested in it), so self times add up to
 * the time in kernels. "Outside kernels" is the step's wall time minus the time in top-level kernels: tape
 * bookkeeping, tidy/dispose, JS-side work of the loss (sampling, batch copies), dataSync waits.
 */
import { tf } from '../lib/nn/index.js';

export interface KernelStat {
  readonly name: string;
  /** Calls per step. */
  readonly calls: number;
  /** Calls made from inside another kernel, per step. */
  readonly nestedCalls: number;
  /** Inclusive and self milliseconds per step. */
  readonly totalMs: number;
  readonly selfMs: number;
}

export interface StepProfile {
  readonly steps: number;
  /** Wall milliseconds per step. */
  readonly stepMs: number;
  /** Milliseconds per step inside top-level kernel calls, and their number. */
  readonly kernelMs: number;
  readonly topLevelCalls: number;
  readonly outsideMs: number;
  /** Sorted by self time, largest first. */
  readonly kernels: readonly KernelStat[];
}

interface KernelParams { kernelName?: string }
interface EngineInternals {
  runKernelFunc: (p: KernelParams) => unknown;
  state: { activeScope?: { name?: string } | null };
}

/** Runs `step` `steps` times with every kernel call timed; the engine is restored afterwards. */
export function profileSteps(step: () => unknown, steps: number): StepProfile {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  const engine = tf.engine() as unknown as EngineInternals;
  const original = engine.runKernelFunc;
  const own = Object.prototype.hasOwnProperty.call(engine, 'runKernelFunc');
  const acc = new Map<string, { calls: number; nested: number; total: number; self: number }>();
  const frames: number[] = []; // child milliseconds of each open call
  let topMs = 0;
  let topCalls = 0;
  engine.runKernelFunc = function (this: EngineInternals, params: KernelParams): unknown {
    const name = params.kernelName ?? `customGrad:${engine.state.activeScope?.name || 'op'}`;
    frames.push(0);
    const t0 = performance.now();
    try {
      return original.call(this, params);
    } finally {
      const dt = performance.now() - t0;
      const child = frames.pop() as number;
      let s = acc.get(name);
      if (!s) acc.set(name, (s = { calls: 0, nested: 0, total: 0, self: 0 }));
      s.calls++;
      s.total += dt;
      s.self += dt - child;
      if (frames.length > 0) {
        frames[frames.length - 1] += dt;
        s.nested++;
      } else {
        topMs += dt;
        topCalls++;
      }
    }
  };
  let wall = 0;
  try {
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step();
      wall += performance.now() - t0;
    }
  } finally {
    if (own) engine.runKernelFunc = original;
    else delete (engine as Partial<EngineInternals>).runKernelFunc; // back to the prototype's method
  }
  const kernels = [...acc].map(([name, s]) => ({
    name, calls: s.calls / steps, nestedCalls: s.nested / steps, totalMs: s.total / steps, selfMs: s.self / steps,
  })).sort((a, b) => b.selfMs - a.selfMs);
  return {
    steps, stepMs: wall / steps, kernelMs: topMs / steps, topLevelCalls: topCalls / steps,
    outsideMs: (wall - topMs) / steps, kernels,
  };
}

/** The profile as text: a summary line and the `top` kernels by self time (the rest summed in one line). */
export function formatProfile(title: string, p: StepProfile, top = 25): string {
  const pct = (ms: number) => `${((100 * ms) / p.stepMs).toFixed(1)} %`;
  const f = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const lines = [
    `${title}: ${f(p.stepMs)} ms per step (mean of ${p.steps} profiled steps; timing each kernel adds a little)`,
    `  in kernels: ${f(p.kernelMs)} ms (${pct(p.kernelMs)}) over ${Math.round(p.topLevelCalls)} top-level kernel calls`,
    `  outside kernels: ${f(p.outsideMs)} ms (${pct(p.outsideMs)}): tape, tidy/dispose, JS work in the loss, reads`,
    '',
    '| kernel | calls/step | (nested) | self ms | self % | incl. ms |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const k of p.kernels.slice(0, top)) {
    const nested = k.nestedCalls > 0 ? Math.round(k.nestedCalls) : '';
    const calls = Math.round(k.calls);
    lines.push(`| ${k.name} | ${calls} | ${nested} | ${f(k.selfMs)} | ${pct(k.selfMs)} | ${f(k.totalMs)} |`);
  }
  const rest = p.kernels.slice(top);
  if (rest.length > 0) {
    const ms = rest.reduce((s, k) => s + k.selfMs, 0);
    const calls = rest.reduce((s, k) => s + k.calls, 0);
    lines.push(`| (${rest.length} other kernels) | ${Math.round(calls)} | | ${f(ms)} | ${pct(ms)} | |`);
  }
  lines.push('', 'self = time in the kernel minus the kernels it ran (nested); self times add up to "in kernels".');
  return lines.join('\n');
}
