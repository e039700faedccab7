/**
 * One iteration of Blahut–Arimoto and of Sinkhorn on a SweepEngine (engine.ts): the engine does the single
 * O(n·m) pass over the kernel; these functions do the O(m) per-letter updates. No allocation inside.
 */
import type { SweepEngine } from './engine.js';

/** True if some row with p(x) > 0 had K·v = 0 (underflow): the caller must stabilise. */
function rowUnderflow(e: SweepEngine, p: Float64Array): boolean {
  const w = e.w;
  for (let x = 0; x < e.n; x++) if (p[x] > 0 && !(w[x] > 0 && w[x] < Infinity)) return true;
  return false;
}

/**
 * One Blahut–Arimoto iteration in place on q = e.v: z(x) = Σ_y K q, c(y) = Σ_x p K / z, q ← q·c.
 * Returns log max_y c(y) (nats, over live letters), an upper bound on Blahut's gap max log c − Σ_y q' log c
 * between his upper and lower bounds on R: Σ_y q' log c ≥ Σ_y q'(1 − 1/c) = Σ q' − Σ q = 0. One log per
 * iteration instead of m, and to first order the same number near convergence. NaN if some z(x) underflowed.
 */
export function baStep(e: SweepEngine, p: Float64Array): number {
  e.sweep();
  if (rowUnderflow(e, p)) return NaN;
  const q = e.v, c = e.acc;
  let maxC = 0;
  for (let y = 0; y < e.m; y++) {
    if (q[y] === 0) continue;
    const cy = c[y];
    if (cy > maxC) maxC = cy;
    const qn = q[y] * cy;
    // flush dying letters before they turn denormal (slow arithmetic, and 0·log 0 must stay exactly 0)
    q[y] = qn < 1e-280 ? 0 : qn;
  }
  return Math.max(0, Math.log(maxC));
}

/** −Σ_x p(x) log z(x) for the q of the last baStep (z = p / w): the convex function BA decreases. */
export function baObjective(e: SweepEngine, p: Float64Array): number {
  let f = 0;
  for (let x = 0; x < e.n; x++) if (p[x] > 0) f -= p[x] * Math.log(p[x] / e.w[x]);
  return f;
}

/**
 * One Sinkhorn sweep for π = diag(u) K diag(v) with marginals (p, q): u = e.w ← p / (K v), col = e.acc = Kᵀu.
 * Returns max_y |v·col − q|: the output-marginal error of the row-exact channel Q(y|x) = u K v / p.
 * The caller then calls sinkhornColumn (or stops). NaN if a row of K·v underflowed.
 */
export function sinkhornSweep(e: SweepEngine, p: Float64Array, q: Float64Array): number {
  e.sweep();
  if (rowUnderflow(e, p)) return NaN;
  const v = e.v, col = e.acc;
  let err = 0;
  for (let y = 0; y < e.m; y++) {
    const d = Math.abs(v[y] * col[y] - q[y]);
    if (d > err) err = d;
  }
  return err;
}

/** v ← q / col (the column half of a Sinkhorn iteration). */
export function sinkhornColumn(e: SweepEngine, q: Float64Array): void {
  const v = e.v, col = e.acc;
  for (let y = 0; y < e.m; y++) v[y] = q[y] / col[y];
}
