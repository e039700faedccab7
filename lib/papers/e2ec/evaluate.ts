/**
 * Evaluation as the authors' `eval_model` (docs/papers/e2ec.md#evaluation): stochastic encoding of the test digits,
 * BSC, decoding. Rate is reported both as the bits actually sent (l + 1) and as the authors' code prints it (l, one
 * bit low). Every evaluation keeps its per-digit scores (correct or not, bits sent) in test-set order, so that claims
 * can put exact binomial, bootstrap and paired intervals on them. Plus Fig. 2(e) block importance (with per-digit
 * drops) and Fig. 2(f) embedding geometry.
 */
import { Rng } from '../../core/index.js';
import { entropy, mutualInformation } from '../../info/index.js';
import { accuracyWithInterval, exactBinomialInterval } from '../../metrics/index.js';
import { tf, type Params } from '../../nn/index.js';
import type { E2ecConfig } from './config.js';
import type { Digits } from './data.js';
import { CLASSES, bscValid, crossEntropy, decode, encode, sampleCode, selector, truncate } from './model.js';

export interface SemanticMetrics {
  /** Mean number of bits sent per digit (l + 1). */
  rateBits: number;
  /** 1.96·s/√n of the sent length. */
  rateHalfWidth: number;
  /** Mean CE (nats) of the decoder's class posterior. */
  ce: number;
  accuracy: number;
  /** Exact (Clopper–Pearson) 95 % interval of the accuracy. */
  accuracyLo: number;
  accuracyHi: number;
  /** 1.96·sqrt(p(1 − p)/n), the paper's ± (normal interval). */
  accuracyHalfWidth: number;
  n: number;
  /** Per test digit, in test-set order: 1 if the decoded class is right, else 0. */
  correct: number[];
  /** Per test digit, in test-set order: bits sent (E2EC: l + 1; d2-JSCC: d; RDBO: its per-digit MI term in bits). */
  bits: number[];
}

export interface E2ecEval extends SemanticMetrics {
  /** The authors' printed rate E[l] = rateBits − 1. */
  rateBitsAuthors: number;
  /** Count of digits sent with length 1..N (index 0 is length 1). */
  lengthHistogram: number[];
  lengthStd: number;
  /**
   * Plug-in I(L; Y) in bits between the sent length and the digit's class on the test set. The receiver learns the
   * length without error (docs/papers/e2ec.md#errata), so this much class information rides on the length for free. Plug-in bias
   * is at most about (N − 1)·9 / (2n ln 2) bits (≈ 0.04 at N = 64, n = 10,000).
   */
  lengthClassBits: number;
}

interface Encoded {
  /** B × 2N decoder selectors of every test digit (after the channel). */
  readonly a: Float32Array;
  readonly lengths: Int32Array;
}

function encodeAll(p: Params, cfg: E2ecConfig, data: Digits, rng: Rng, chunk = 1000): Encoded {
  const n = cfg.maxLength;
  const a = new Float32Array(data.n * 2 * n);
  const lengths = new Int32Array(data.n);
  for (let s = 0; s < data.n; s += chunk) {
    const m = Math.min(chunk, data.n - s);
    const [pi, bp] = tf.tidy(() => {
      const out = encode(p, cfg, tf.tensor2d(data.x.subarray(s * 784, (s + m) * 784), [m, 784]));
      return [tf.softmax(out.lenLogits).dataSync(), tf.sigmoid(out.bitLogits).dataSync()];
    });
    const code = sampleCode(pi, bp, m, n, rng);
    const rx = bscValid(truncate(code.content, code.lengths, n), cfg.eps, rng);
    a.set(selector(rx, n), s * 2 * n);
    lengths.set(code.lengths, s);
  }
  return { a, lengths };
}

/** Decodes selectors (optionally with some bit positions' embeddings removed) → mean CE, correct count and per-digit correctness. */
function decodeAll(p: Params, n: number, a: Float32Array, y: Uint8Array, dropPositions: readonly number[] = [], chunk = 2000): { ce: number; correct: number; perDigit: Uint8Array } {
  const count = y.length;
  let ce = 0;
  let correct = 0;
  const perDigit = new Uint8Array(count);
  const sel = dropPositions.length ? Float32Array.from(a) : a;
  if (dropPositions.length) {
    for (let b = 0; b < count; b++) for (const i of dropPositions) { sel[b * 2 * n + 2 * i] = 0; sel[b * 2 * n + 2 * i + 1] = 0; }
  }
  for (let s = 0; s < count; s += chunk) {
    const m = Math.min(chunk, count - s);
    const ys = y.subarray(s, s + m);
    const [c, pred] = tf.tidy(() => {
      const { logits } = decode(p, tf.tensor2d(sel.subarray(s * 2 * n, (s + m) * 2 * n), [m, 2 * n]));
      const oh = tf.oneHot(tf.tensor1d(ys, 'int32'), CLASSES) as tf.Tensor2D;
      return [tf.sum(crossEntropy(logits, oh)).dataSync()[0], tf.argMax(logits, 1).dataSync()];
    });
    ce += c;
    for (let i = 0; i < m; i++) if (pred[i] === ys[i]) { correct++; perDigit[s + i] = 1; }
  }
  return { ce: ce / count, correct, perDigit };
}

/**
 * Summary of one evaluation from its per-digit scores: `bits` and `correct` (0/1) hold one entry per test digit in
 * the same order; `ce` is the mean cross-entropy (nats).
 */
export function semanticMetrics(bits: ArrayLike<number>, ce: number, correct: ArrayLike<number>): SemanticMetrics {
  if (bits.length !== correct.length || bits.length === 0) throw new RangeError(`bits and correct must hold one entry per test digit, got ${bits.length} and ${correct.length}`);
  const rates = bits;
  const n = correct.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (correct[i] !== 0 && correct[i] !== 1) throw new RangeError(`correct[${i}] must be 0 or 1, got ${correct[i]}`);
    k += correct[i];
  }
  let m = 0;
  for (let i = 0; i < rates.length; i++) m += rates[i];
  m /= rates.length;
  let v = 0;
  for (let i = 0; i < rates.length; i++) v += (rates[i] - m) ** 2;
  const sd = rates.length > 1 ? Math.sqrt(v / (rates.length - 1)) : 0;
  const acc = accuracyWithInterval(k, n);
  const exact = exactBinomialInterval(k, n);
  return {
    rateBits: m, rateHalfWidth: (1.96 * sd) / Math.sqrt(rates.length), ce, n,
    accuracy: acc.accuracy, accuracyLo: exact.ci95[0], accuracyHi: exact.ci95[1], accuracyHalfWidth: acc.halfWidth,
    correct: Array.from(correct), bits: Array.from(bits),
  };
}

export interface BlockImportance {
  /** Block k covers bit positions 4k+1 … 4k+4 (1-based). */
  block: number;
  accuracy: number;
  accuracyDrop: number;
  ce: number;
  ceIncrease: number;
  /** 1.96·s/√n of the per-digit drop (correct with the block − correct without it): a normal 95 % half-width. */
  accuracyDropHalfWidth: number;
}

export interface EmbeddingGeometry {
  /** ‖v_i^(1) − v_i^(0)‖₂ for i = 1..N. */
  distance: number[];
  /** max_i |⟨v_i^(0), v_i^(1)⟩| (raw inner product). */
  maxCrossInner: number;
}

/** Per test digit: accuracy drop summed over the first half of the 4-bit blocks, and over the second half. */
export interface DropsByDigit {
  /** Σ over blocks k < K/2 of (correct − correct without block k), one entry per test digit. */
  early: number[];
  /** The same over blocks k ≥ K/2. */
  late: number[];
}

export interface FullEval {
  readonly metrics: E2ecEval;
  readonly importance: BlockImportance[];
  readonly drops: DropsByDigit;
}

/** Stochastic evaluation on `data`, plus per-4-bit-block importance on the same sampled codes. */
export function evaluateE2ec(p: Params, cfg: E2ecConfig, data: Digits, seed: number, blockSize = 4): FullEval {
  const n = cfg.maxLength;
  const enc = encodeAll(p, cfg, data, new Rng(seed));
  const base = decodeAll(p, n, enc.a, data.y);
  const sm = semanticMetrics(enc.lengths, base.ce, base.perDigit);
  const hist = new Array<number>(n).fill(0);
  enc.lengths.forEach((l) => { hist[l - 1] += 1; });
  const lengthStd = Math.sqrt(Math.max(0, hist.reduce((s, c, i) => s + c * (i + 1 - sm.rateBits) ** 2, 0) / data.n));
  const importance: BlockImportance[] = [];
  const blocks = Math.ceil(n / blockSize);
  const early = new Array<number>(data.n).fill(0);
  const late = new Array<number>(data.n).fill(0);
  for (let k = 0; k < blocks; k++) {
    const pos = Array.from({ length: Math.min(blockSize, n - k * blockSize) }, (_, j) => k * blockSize + j);
    const r = decodeAll(p, n, enc.a, data.y, pos);
    const sum = k < blocks / 2 ? early : late;
    let s2 = 0;
    for (let i = 0; i < data.n; i++) {
      const d = base.perDigit[i] - r.perDigit[i];
      sum[i] += d;
      s2 += d * d;
    }
    const drop = sm.accuracy - r.correct / data.n;
    const sd = data.n > 1 ? Math.sqrt(Math.max(0, (s2 - data.n * drop * drop) / (data.n - 1))) : 0;
    importance.push({ block: k + 1, accuracy: r.correct / data.n, accuracyDrop: drop, ce: r.ce, ceIncrease: r.ce - base.ce, accuracyDropHalfWidth: (1.96 * sd) / Math.sqrt(data.n) });
  }
  const lengthClassBits = lengthClassInformation(enc.lengths, data.y, n);
  return { metrics: { ...sm, rateBitsAuthors: sm.rateBits - 1, lengthHistogram: hist, lengthStd, lengthClassBits }, importance, drops: { early, late } };
}

/** Plug-in I(L; Y) in bits from paired samples of the sent length (1..n) and the class (0..9). */
export function lengthClassInformation(lengths: ArrayLike<number>, labels: ArrayLike<number>, n: number): number {
  if (lengths.length !== labels.length || lengths.length === 0) throw new RangeError(`lengths and labels must be non-empty and of equal size, got ${lengths.length} and ${labels.length}`);
  const joint = Array.from({ length: n }, () => new Array<number>(CLASSES).fill(0));
  for (let i = 0; i < lengths.length; i++) joint[lengths[i] - 1][labels[i]] += 1 / lengths.length;
  const total = joint.flat().reduce((a, b) => a + b, 0);
  return mutualInformation(joint.map((row) => row.map((v) => v / total)));
}

/** Upper size of lengthClassInformation's plug-in bias: (N − 1)(classes − 1) / (2n ln 2) bits for n samples. */
export function lengthClassBias(maxLength: number, n: number): number {
  return ((maxLength - 1) * (CLASSES - 1)) / (2 * n * Math.LN2);
}

/** Fig. 2(f) geometry of the bit embeddings (rows 2i, 2i+1 of `emb`). */
export function embeddingGeometry(emb: Float32Array | number[], n: number, d: number): EmbeddingGeometry {
  const distance: number[] = [];
  let maxCrossInner = 0;
  for (let i = 0; i < n; i++) {
    let dist2 = 0;
    let dot = 0;
    for (let k = 0; k < d; k++) {
      const v0 = emb[2 * i * d + k];
      const v1 = emb[(2 * i + 1) * d + k];
      dist2 += (v1 - v0) ** 2;
      dot += v0 * v1;
    }
    distance.push(Math.sqrt(dist2));
    maxCrossInner = Math.max(maxCrossInner, Math.abs(dot));
  }
  return { distance, maxCrossInner };
}

/** One learning-curve point: the model after `step` training steps, scored on the validation digits. */
export interface CurvePoint {
  step: number;
  /** step · batch / training digits. */
  epoch: number;
  /** Mean CE (nats) of the decoder on the validation digits (stochastic encoding, as evaluateE2ec). */
  ce: number;
  accuracy: number;
  /** Mean bits sent, E[l + 1]. */
  rateBits: number;
  /** H(L): plug-in entropy (bits) of the sent length on the validation digits. */
  lengthEntropyBits: number;
  /** The training objective's two terms on validation: ce + λ·rateBits (nats); the checkpoint choice minimises it. */
  objective: number;
  /** Validation digits scored. */
  n: number;
}

/** Scores the model on `data` (the validation digits) as evaluateE2ec does, without the block importance. */
export function validationPoint(p: Params, cfg: E2ecConfig, data: Digits, seed: number, at: { step: number; epoch: number }): CurvePoint {
  const n = cfg.maxLength;
  const enc = encodeAll(p, cfg, data, new Rng(seed));
  const dec = decodeAll(p, n, enc.a, data.y);
  const hist = new Array<number>(n).fill(0);
  let bits = 0;
  enc.lengths.forEach((l) => { hist[l - 1] += 1; bits += l; });
  const rateBits = bits / data.n;
  return {
    step: at.step, epoch: at.epoch, ce: dec.ce, accuracy: dec.correct / data.n, rateBits,
    lengthEntropyBits: entropy(hist.map((c) => c / data.n)), objective: dec.ce + cfg.lambda * rateBits, n: data.n,
  };
}

/**
 * The checkpoint choice on validation: the curve point with the lowest objective (ce + λ·rate); ties go to the
 * earlier step. Throws on an empty curve.
 */
export function chooseCheckpoint(curve: readonly CurvePoint[]): CurvePoint {
  if (!Array.isArray(curve) || curve.length === 0) throw new RangeError('curve must hold at least one validation point');
  return curve.reduce((best, c) => (c.objective < best.objective ? c : best));
}
