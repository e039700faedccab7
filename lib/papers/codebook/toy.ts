/**
 * Fig. 2 of the codebook paper on a 2-D toy: the Voronoi partition a codebook induces (eqs. 3–4: every feature in
 * cell V_k is "synonymous" and sent as index k), learnt on a Gaussian mixture with the plain VQ codebook loss and
 * with the index-entropy term added (eq. 13). The codewords start in a small cluster off the data — the usual
 * way codes die: a codeword that is never nearest gets no codebook-loss gradient, while the soft entropy estimate
 * still pulls it towards the data.
 */
import { Rng, assertInteger, assertNonNegative, assertPositive } from '../../core/index.js';
import { tf, Adam, addParam, backendChoice, initBackend, vectorQuantize, type Params } from '../../nn/index.js';
import { entropyOf, indexCounts, indexPmfEstimate, squaredDistances } from './losses.js';
import { quantize, usageStats } from './analysis.js';

export interface ToyOptions {
  readonly K: number;
  readonly lambdaH: number;
  readonly steps: number;
  readonly lr: number;
  readonly tau: number;
  /** Points drawn from the mixture. */
  readonly points: number;
  readonly seed: number;
  /** Raster side of the Voronoi picture. */
  readonly grid: number;
}

export const TOY_DEFAULTS: Omit<ToyOptions, 'lambdaH'> = { K: 16, steps: 400, lr: 0.05, tau: 0.5, points: 2000, seed: 7, grid: 60 };

/** The mixture: five blobs of unequal weight and spread (centres, std, weight). */
const BLOBS = [
  { c: [-2, -1.5], s: 0.35, w: 0.35 }, { c: [1.8, -1.2], s: 0.5, w: 0.25 }, { c: [0.2, 1.9], s: 0.3, w: 0.2 },
  { c: [-2.3, 1.6], s: 0.25, w: 0.1 }, { c: [2.4, 2.2], s: 0.2, w: 0.1 },
] as const;

export function toyData(n: number, rng: Rng): Float64Array {
  assertInteger('n', n, 1);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    const b = BLOBS.find((x) => (u -= x.w) < 0) ?? BLOBS[BLOBS.length - 1];
    out[2 * i] = b.c[0] + b.s * rng.normal();
    out[2 * i + 1] = b.c[1] + b.s * rng.normal();
  }
  return out;
}

export interface ToyResult {
  readonly lambdaH: number;
  /** K×2, row-major. */
  readonly codebook: number[];
  readonly counts: number[];
  readonly perplexity: number;
  readonly dead: number;
  readonly dq: number;
  /** Cell index of every raster point (grid×grid, row-major, y from the top). */
  readonly cells: number[];
  readonly extent: { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number };
  /** A few hundred data points for the picture. */
  readonly sample: number[];
}

/** Trains a K-codeword 2-D codebook on the toy mixture: L = ‖sg(z) − e_k‖² − λ_H·Ĥ (no encoder: z is the data). */
export async function toyCodebook(lambdaH: number, options: Partial<Omit<ToyOptions, 'lambdaH'>> = {}): Promise<ToyResult> {
  const o: ToyOptions = { ...TOY_DEFAULTS, ...options, lambdaH };
  assertNonNegative('lambdaH', o.lambdaH);
  assertInteger('K', o.K, 2);
  assertInteger('steps', o.steps, 1);
  assertPositive('lr', o.lr);
  assertInteger('grid', o.grid, 2);
  if (backendChoice() === null) await initBackend();
  const rng = new Rng(o.seed);
  const data = toyData(o.points, rng);
  const init = new Float32Array(2 * o.K);
  for (let i = 0; i < o.K; i++) {
    init[2 * i] = 0.3 * rng.normal() - 0.5; // a tight cluster between the blobs
    init[2 * i + 1] = 0.3 * rng.normal();
  }
  const p: Params = {};
  addParam(p, 'codebook', tf.tensor2d(init, [o.K, 2]));
  const adam = new Adam(p, { lr: o.lr });
  const z = tf.tensor2d(Float32Array.from(data), [o.points, 2]);
  try {
    for (let s = 0; s < o.steps; s++) {
      tf.tidy(() => {
        const cb = p.codebook as unknown as tf.Tensor2D;
        const { grads } = tf.variableGrads(() => {
          const vq = vectorQuantize(z, cb);
          const h = entropyOf(indexPmfEstimate(squaredDistances(z, cb), o.tau));
          return tf.sub(vq.codebookLoss, tf.mul(h, o.lambdaH)) as tf.Scalar;
        }, [p.codebook]);
        adam.apply({ codebook: grads[p.codebook.name] });
      });
    }
    const cb = Float64Array.from(p.codebook.dataSync());
    const q = quantize(data, cb, o.K, 2);
    const u = usageStats(indexCounts(q.indices, o.K));
    const extent = { x0: -4, x1: 4, y0: -3.5, y1: 3.5 };
    const raster = new Float64Array(2 * o.grid * o.grid);
    for (let r = 0; r < o.grid; r++) {
      for (let c = 0; c < o.grid; c++) {
        raster[2 * (r * o.grid + c)] = extent.x0 + ((c + 0.5) / o.grid) * (extent.x1 - extent.x0);
        raster[2 * (r * o.grid + c) + 1] = extent.y1 - ((r + 0.5) / o.grid) * (extent.y1 - extent.y0);
      }
    }
    return {
      lambdaH, codebook: Array.from(cb), counts: Array.from(indexCounts(q.indices, o.K)), perplexity: u.perplexity, dead: u.dead, dq: q.dq,
      cells: Array.from(quantize(raster, cb, o.K, 2).indices), extent, sample: Array.from(data.subarray(0, 2 * Math.min(400, o.points))),
    };
  } finally {
    adam.dispose();
    z.dispose();
    tf.dispose(Object.values(p));
  }
}
