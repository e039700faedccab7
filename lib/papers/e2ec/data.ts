/** MNIST as the authors feed it: (x − 0.1307)/0.3081, flattened; optional seeded subsets for the quick profile. */
import { loadMnist, subset, epochOrder } from '../../data/index.js';

export interface Digits {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
}

const memo = new Map<string, Digits>();

export function mnistNormalised(split: 'train' | 'test', count: number, seed: number): Digits {
  const key = `${split}:${count}:${seed}`;
  let d = memo.get(key);
  if (!d) {
    const full = loadMnist(split);
    const src = count < full.n ? subset(full, count, seed) : full;
    const x = new Float32Array(src.x.length);
    for (let i = 0; i < x.length; i++) x[i] = (src.x[i] - 0.1307) / 0.3081;
    d = { x, y: src.y, n: src.n };
    memo.set(key, d);
  }
  return d;
}

/** The batch of step s (1-based): epochs are seeded permutations, so a resumed run draws the same batches. */
export class StepBatches {
  private epoch = -1;
  private order: Uint32Array = new Uint32Array(0);
  private readonly perEpoch: number;

  constructor(private readonly data: Digits, private readonly batchSize: number, private readonly seed: number) {
    this.perEpoch = Math.floor(data.n / batchSize);
  }

  get stepsPerEpoch(): number {
    return this.perEpoch;
  }

  batch(step: number): { x: Float32Array; y: Uint8Array } {
    const e = Math.floor((step - 1) / this.perEpoch);
    if (e !== this.epoch) {
      this.order = epochOrder(this.data.n, true, this.seed, e);
      this.epoch = e;
    }
    const k = (step - 1) % this.perEpoch;
    const bs = this.batchSize;
    const x = new Float32Array(bs * 784);
    const y = new Uint8Array(bs);
    for (let i = 0; i < bs; i++) {
      const r = this.order[k * bs + i];
      x.set(this.data.x.subarray(r * 784, (r + 1) * 784), i * 784);
      y[i] = this.data.y[r];
    }
    return { x, y };
  }
}
