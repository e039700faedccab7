/** Run identity: sha256 of canonical JSON (object keys sorted, recursively), so key order never changes a hash. */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON: sorted keys, no whitespace. Rejects every value JSON cannot represent faithfully, naming where it
 * sits in the config (e.g. `config.model.lr`): NaN and ±Infinity (RangeError); bigint, functions, symbols, undefined
 * array elements, sparse arrays, symbol keys, and objects that are not plain objects or arrays — Map, Set, Date,
 * RegExp, boxed primitives, class instances — (TypeError), which JSON.stringify would turn into `{}` or `null`, so
 * that different configs would share a hash. Typed arrays are hashed as arrays of their numbers. Object properties
 * whose value is undefined are left out, as JSON.stringify does. For plain JSON data the text (so the hash) is
 * exactly what it always was: cached models are found by it.
 */
export function canonicalJson(value: unknown, path = 'config'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${path} must be a finite number for hashing, got ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') {
    throw new TypeError(`${path} must be JSON data (null, boolean, number, string, array, plain object), got ${describe(value)}`);
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new TypeError(`${path}[${i}] is a hole in a sparse array, which JSON cannot represent`);
      parts.push(canonicalJson(value[i], `${path}[${i}]`));
    }
    return `[${parts.join(',')}]`;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return canonicalJson(Array.from(value as unknown as ArrayLike<number>), path);
  }
  if (!isPlainObject(value)) {
    throw new TypeError(`${path} must be JSON data (null, boolean, number, string, array, plain object), got ${describe(value)}`);
  }
  const symbols = Object.getOwnPropertySymbols(value);
  if (symbols.length > 0) throw new TypeError(`${path} has a symbol key (${String(symbols[0])}), which JSON cannot represent`);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, childPath(path, k))}`).join(',')}}`;
}

/** An object literal, Object.create(null), or a plain object from another realm (a vm context, a worker). */
function isPlainObject(value: object): boolean {
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `a bigint (${value}n)`;
  if (typeof value === 'symbol') return `a symbol (${String(value)})`;
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Date) return 'a Date';
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : `a ${tag}`;
}

/** sha256 (hex) of canonicalJson(obj). */
export function configHash(obj: unknown): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex');
}
