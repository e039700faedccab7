/**
 * One training step as train() runs it, and as `npm run bench` times it: the loss and the gradient of every
 * variable of `params` (tf.variableGrads inside one tf.tidy), then one Adam update when the loss is finite.
 * One definition, so the benchmark measures the training step itself rather than a copy of it.
 */
import { tf } from './tf.js';
import type { Params } from './layers.js';
import { assertParams } from './check.js';
import type { Adam } from './optim.js';

/** A step function: runs `lossFn` (on the tape), updates the parameters, returns the loss value. */
export type TrainStep = (lossFn: () => tf.Scalar) => number;

/**
 * The step of `adam` over every variable of `params`. A non-finite loss leaves the parameters (and Adam's state)
 * unchanged and is returned as is: the caller decides whether that is an error (train() throws).
 */
export function makeTrainStep(params: Params, adam: Adam): TrainStep {
  assertParams('params', params);
  if (adam === null || typeof adam !== 'object' || typeof adam.apply !== 'function') {
    throw new TypeError('adam must be an Adam optimizer');
  }
  const names = Object.keys(params);
  if (names.length === 0) throw new RangeError('params must hold at least one variable');
  const byVarName = new Map(names.map((k) => [params[k].name, k]));
  const vars = names.map((k) => params[k]);
  return (lossFn) => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(lossFn, vars);
    const named: Record<string, tf.Tensor> = {};
    for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn) as string] = g;
    const l = value.dataSync()[0];
    if (Number.isFinite(l)) adam.apply(named);
    return l;
  });
}
