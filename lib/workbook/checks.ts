/**
 * Argument checks of the runner's options (runNotebook) and of a paper run's configuration (startRun/PaperRun),
 * run before anything is read, started or written, so a bad value is a RangeError/TypeError naming it.
 */
import { MAX_SEED, assertFunction, assertInRange, assertInteger, assertObject, assertOneOf,
  assertString } from '../core/index.js';

/** The longest time limit accepted (seconds): a week. */
export const MAX_TIMEOUT_S = 7 * 24 * 3600;

/** runNotebook's options: a known profile, time limits in (0, a week], an object of parameters, a callback. */
export function checkRunOptions(opts: unknown, profiles: readonly string[]): void {
  assertObject('options', opts);
  const o = opts as Record<string, unknown>;
  assertOneOf('profile', o.profile, profiles);
  if (o.params !== undefined) assertObject('params', o.params);
  if (o.outDir !== undefined) assertString('outDir', o.outDir);
  if (o.cellTimeout !== undefined) assertInRange('cellTimeout', o.cellTimeout, Number.MIN_VALUE, MAX_TIMEOUT_S);
  if (o.notebookTimeout !== undefined) assertInRange('notebookTimeout', o.notebookTimeout, Number.MIN_VALUE,
    MAX_TIMEOUT_S);
  if (o.onProgress !== undefined) assertFunction('onProgress', o.onProgress);
  if (o.dataDir !== undefined) assertString('dataDir', o.dataDir);
  if (o.figuresRoot !== undefined) assertString('figuresRoot', o.figuresRoot);
  if (o.sweeps !== undefined) assertObject('sweeps', o.sweeps);
}

/** A paper run's configuration: names and folders as strings, the seed an integer in 0..MAX_SEED (or null). */
export function checkRunConfig(config: unknown): void {
  assertObject('config', config);
  const c = config as Record<string, unknown>;
  assertString('paper', c.paper);
  assertString('profile', c.profile);
  assertString('outDir', c.outDir);
  if (c.seed !== undefined && c.seed !== null) assertInteger('seed', c.seed, 0, MAX_SEED);
  if (c.params !== undefined) assertObject('params', c.params);
  if (c.backend !== undefined) assertString('backend', c.backend);
}
