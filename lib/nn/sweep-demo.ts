/**
 * A tiny trial function for runSweep (used by its tests and as the worker contract's example): fits
 * y = a·x + b by gradient descent on the cpu backend and returns the final parameters and loss.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../core/index.js';
import { throwIfCancelled } from './cancel.js';
import { tf } from './tf.js';

export interface DemoTrialConfig { readonly a: number; readonly b: number; readonly lr: number; readonly steps: number; readonly fail?: boolean; readonly crash?: boolean; readonly startedFile?: string }

export async function demoTrial(config: DemoTrialConfig): Promise<{ a: number; b: number; loss: number; pid: number }> {
  if (config.crash) process.exit(3); // simulates a worker dying (out of memory, native abort)
  if (config.fail) throw new RangeError(`demoTrial asked to fail (a=${config.a})`);
  await tf.setBackend('cpu');
  const rng = new Rng(1);
  const xs = Array.from({ length: 32 }, () => rng.normal());
  const x = tf.tensor1d(xs);
  const y = tf.tensor1d(xs.map((v) => config.a * v + config.b));
  const w = tf.variable(tf.scalar(0));
  const c = tf.variable(tf.scalar(0));
  const opt = tf.train.sgd(config.lr);
  let loss = NaN;
  if (config.startedFile) writeFileSync(config.startedFile, String(process.pid)); // tests: the loop is about to start
  for (let s = 0; s < config.steps; s++) {
    throwIfCancelled(); // long trial loops poll this so a sweep's workers stop when their parent dies
    loss = tf.tidy(() => (opt.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), c), y))) as tf.Scalar, true) as tf.Scalar).dataSync()[0]);
  }
  const out = { a: w.dataSync()[0], b: c.dataSync()[0], loss, pid: process.pid };
  tf.dispose([x, y, w, c]);
  return out;
}
