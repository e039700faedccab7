/** Run identity: sha256 of canonical JSON (object keys sorted, recursively), so key order never changes a hash. */
import { createHash } from 'node:crypto';

/** Canonical JSON: sorted keys, no whitespace; rejects values JSON would silently change (NaN, functions, ...). */
export function canonicalJson(value: unknown, path = 'config'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${path} must be a finite number for hashing, got ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>), path);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
  }
  throw new TypeError(`${path} must be JSON data (null, boolean, number, string, array, object), got ${typeof value}`);
}

/** sha256 (hex) of canonicalJson(obj). */
export function configHash(obj: unknown): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex');
}
