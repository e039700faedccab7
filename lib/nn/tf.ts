/**
 * The one tfjs instance every module of lib/nn (and every notebook going through it) uses.
 * `@tensorflow/tfjs` has no "exports" map, so this ESM import and `createRequire(...)('@tensorflow/tfjs')`
 * resolve to the same CommonJS file, hence one tfjs-core engine, one kernel registry.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Variable = tf.Variable;
export type Scalar = tf.Scalar;
