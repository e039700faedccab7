/**
 * Kernel ceiling of the nn bench (issue 15): the raw GEMM and 3×3-convolution kernels the paper models' training
 * steps run, tfjs wasm (with this project's kernels: lib/nn/wasm-kernels.ts) against PyTorch on one thread, at the
 * models' own shapes. A training step whose time is mostly these products cannot run at a better torch/tfjs ratio
 * than these kernels do; this section shows how far that ceiling is from the 0.5 issue 15 asks for.
 *
 * Cases (tfjs layout; torch runs the same products in its own layout, NCHW / OIHW for the convolutions):
 *  - E2EC dense layers at batch B = 128, in → out: 784×256 and 256×256 (Table I trunks), 784×1024 and 1024×512
 *    (the authors' trunks). Each as the three GEMMs of one training step: forward Y = X·W ([B×in]·[in×out]),
 *    input gradient dX = dY·Wᵀ, weight gradient dW = Xᵀ·dY. Each costs 2·B·in·out floating-point operations.
 *  - VSCC's main 3×3 convolution at the 32×32 stage of the full profile: batch 16, 32×32, 8 → 8 channels, stride
 *    1, 'same' padding (the stage-0 ResBlock's and the decoder's 32×32 convolutions): forward, input gradient
 *    (Conv2DBackpropInput), filter gradient (Conv2DBackpropFilter). Each costs 2·B·H·W·Cout·kh·kw·Cin operations,
 *    counting the taps that fall on the zero padding, as the usual convention does (both sides are charged alike).
 * tfjs calls the kernels through `tf.engine().runKernel` (BatchMatMul, Conv2D, Conv2DBackpropInput,
 * Conv2DBackpropFilter: what the ops and their gradients dispatch to); torch through `torch.matmul` on views and
 * `F.conv2d` / `aten.convolution_backward` (what autograd calls), in bench/peers/kernels.py.
 *
 * Both sides fill the operands with the same values (operandValues: sin(0.37·i + 1.3·operand) over the flat
 * index of the tfjs layout) and the bench checks that the two outputs agree through a weighted checksum
 * (outputChecksum) — so both sides provably run the same product, transposes and layouts included.
 */
import { tf } from '../lib/nn/index.js';

export type ConvPass = 'forward' | 'input-grad' | 'filter-grad';

export interface MatMulCase {
  readonly kind: 'matmul';
  /** Unique name, e.g. 'e2ec 784×256 dW'. */
  readonly id: string;
  /** out[m×n] = op(a)·op(b); a is stored [k, m] when transposeA (else [m, k]), b [n, k] when transposeB. */
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

export interface ConvCase {
  readonly kind: 'conv';
  readonly id: string;
  readonly pass: ConvPass;
  readonly batch: number;
  /** Height = width of the input (stride 1, 'same' padding: also of the output). */
  readonly size: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Kernel height = width (odd). */
  readonly kernel: number;
}

export type CeilingCase = MatMulCase | ConvCase;

function checkDims(what: string, dims: Record<string, number>): void {
  for (const [k, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what}: ${k} must be an integer >= 1, got ${v}`);
  }
}

/** The three GEMMs of a dense layer's training step at a batch: forward, input gradient, weight gradient. */
export function denseCases(name: string, batch: number, inDim: number, outDim: number): MatMulCase[] {
  checkDims(`denseCases(${name})`, { batch, inDim, outDim });
  const s = `${name} ${inDim}×${outDim}`;
  return [
    { kind: 'matmul', id: `${s} Y=XW`, m: batch, k: inDim, n: outDim, transposeA: false, transposeB: false },
    { kind: 'matmul', id: `${s} dX=dY·Wᵀ`, m: batch, k: outDim, n: inDim, transposeA: false, transposeB: true },
    { kind: 'matmul', id: `${s} dW=Xᵀ·dY`, m: inDim, k: batch, n: outDim, transposeA: true, transposeB: false },
  ];
}

/** The three convolutions of a conv layer's training step (stride 1, 'same' padding). */
export function convCases(
  name: string, o: { batch: number; size: number; inChannels: number; outChannels: number; kernel: number },
): ConvCase[] {
  checkDims(`convCases(${name})`, o);
  if (o.kernel % 2 !== 1) throw new RangeError(`convCases(${name}): kernel must be odd ('same' padding), got ${o.kernel}`);
  const passes: ConvPass[] = ['forward', 'input-grad', 'filter-grad'];
  return passes.map((pass) => ({ kind: 'conv', id: `${name} ${pass}`, pass, ...o }));
}

/** E2EC's batch (PAPER_TRAIN and the full profile) and VSCC's full-profile 32×32 stage (bench/paper-models.ts). */
export const CEILING_CASES: readonly CeilingCase[] = [
  ...denseCases('e2ec', 128, 784, 256),
  ...denseCases('e2ec', 128, 256, 256),
  ...denseCases('e2ec', 128, 784, 1024),
  ...denseCases('e2ec', 128, 1024, 512),
  ...convCases('vscc 3×3 conv 16×32×32×8→8', { batch: 16, size: 32, inChannels: 8, outChannels: 8, kernel: 3 }),
];

/** Floating-point operations of one call (a multiply-add counts 2). */
export function caseFlops(c: CeilingCase): number {
  if (c.kind === 'matmul') return 2 * c.m * c.k * c.n;
  return 2 * c.batch * c.size * c.size * c.outChannels * c.kernel * c.kernel * c.inChannels;
}

/** Operand shapes (in call order) and the output shape, tfjs layout (NHWC, filters [kh, kw, Cin, Cout]). */
export function caseShapes(c: CeilingCase): { operands: number[][]; output: number[] } {
  if (c.kind === 'matmul') {
    const a = c.transposeA ? [c.k, c.m] : [c.m, c.k];
    const b = c.transposeB ? [c.n, c.k] : [c.k, c.n];
    return { operands: [a, b], output: [c.m, c.n] };
  }
  const x = [c.batch, c.size, c.size, c.inChannels];
  const w = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  const y = [c.batch, c.size, c.size, c.outChannels];
  if (c.pass === 'forward') return { operands: [x, w], output: y };
  if (c.pass === 'input-grad') return { operands: [y, w], output: x };
  return { operands: [x, y], output: w };
}

/** The product in words: "128×784 · 784×256" (ᵀ: stored transposed), "x 16×32×32×8, w 3×3×8×8 → 16×32×32×8". */
export function shapeLabel(c: CeilingCase): string {
  const { operands, output } = caseShapes(c);
  const d = (s: number[]) => s.join('×');
  if (c.kind === 'matmul') {
    return `${d(operands[0])}${c.transposeA ? 'ᵀ' : ''} · ${d(operands[1])}${c.transposeB ? 'ᵀ' : ''} → ${d(output)}`;
  }
  const names = c.pass === 'forward' ? ['x', 'w'] : c.pass === 'input-grad' ? ['dy', 'w'] : ['x', 'dy'];
  return `${names[0]} ${d(operands[0])}, ${names[1]} ${d(operands[1])} → ${d(output)}`;
}

/** Operand `operand`'s values: v[i] = sin(0.37·i + 1.3·operand) in float32 (bench/peers/kernels.py: the same). */
export function operandValues(size: number, operand: number): Float32Array {
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = Math.sin(0.37 * i + 1.3 * operand);
  return v;
}

/**
 * Σ w_i·out_i with w_i = (i mod 7) − 3 over the tfjs-layout output, and its scale ‖w∘out‖₂ = √Σ (w_i·out_i)²: a
 * different product (a transpose, a layout mix-up) moves the sum by about the scale; float32 rounding in another
 * summation order by ~1e-6 of it.
 */
export function outputChecksum(out: ArrayLike<number>): { sum: number; scale: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < out.length; i++) {
    const t = ((i % 7) - 3) * out[i];
    sum += t;
    sq += t * t;
  }
  return { sum, scale: Math.sqrt(sq) };
}

/** One case on the tfjs side, operands uploaded once. */
export interface TfjsKernel {
  /** One kernel call; its output is disposed. */
  run(): void;
  /** Output shape and checksum of one call. */
  check(): { shape: number[]; sum: number; scale: number };
  dispose(): void;
}

/** Prepares a case on the active backend (call `await initBackend()` first). */
export function tfjsKernel(c: CeilingCase): TfjsKernel {
  const { operands } = caseShapes(c);
  const ts = operands.map((s, j) => tf.tensor(operandValues(s.reduce((a, b) => a * b, 1), j), s));
  const e = tf.engine();
  let call: () => tf.Tensor;
  if (c.kind === 'matmul') {
    // BatchMatMul takes rank-3 operands (tf.matMul reshapes 2-D ones to [1, r, c] the same way).
    const [a, b] = ts.map((t) => tf.reshape(t, [1, ...t.shape]));
    ts.push(a, b);
    call = () => e.runKernel('BatchMatMul', { a, b }, { transposeA: c.transposeA, transposeB: c.transposeB }) as tf.Tensor;
  } else {
    const common = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
    const [p, q] = ts;
    if (c.pass === 'forward') {
      call = () => e.runKernel('Conv2D', { x: p, filter: q }, { ...common, dilations: [1, 1] }) as tf.Tensor;
    } else if (c.pass === 'input-grad') {
      const inputShape = [c.batch, c.size, c.size, c.inChannels];
      call = () => e.runKernel('Conv2DBackpropInput', { dy: p, filter: q }, { ...common, inputShape }) as tf.Tensor;
    } else {
      const filterShape = [c.kernel, c.kernel, c.inChannels, c.outChannels];
      call = () => e.runKernel('Conv2DBackpropFilter', { x: p, dy: q }, { ...common, filterShape }) as tf.Tensor;
    }
  }
  return {
    run: () => call().dispose(),
    check: () => {
      const out = call();
      try {
        const shape = c.kind === 'matmul' ? out.shape.slice(1) : out.shape;
        return { shape, ...outputChecksum(out.dataSync()) };
      } finally {
        out.dispose();
      }
    },
    dispose: () => tf.dispose(ts),
  };
}

/** Two checksums agree: |a − b| ≤ 1e-3 of the larger scale (float32 sums in different orders). */
export function checksumsAgree(a: { sum: number; scale: number }, b: { sum: number; scale: number }): boolean {
  return Math.abs(a.sum - b.sum) <= 1e-3 * Math.max(a.scale, b.scale, 1e-30);
}
