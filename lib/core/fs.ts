/** File helpers: every output is written atomically (temp file + rename) so an interrupted run never leaves half a file. */
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { assertString, describe } from './validate.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  assertString('path', path);
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(`data must be a string or Uint8Array, got ${describe(data)}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** `value` as indented JSON (nested NaN/±Infinity become null, as JSON.stringify writes them). */
export function writeJsonAtomic(path: string, value: unknown): void {
  assertString('path', path);
  const unrepresentable = value === undefined || typeof value === 'function' || typeof value === 'symbol';
  if (unrepresentable || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new TypeError(`value must be JSON-representable, got ${describe(value)}`);
  }
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
