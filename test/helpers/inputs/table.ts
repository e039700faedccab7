/**
 * The bad-input table of test/unit/inputs-table.test.ts (issue 18, finding 4): for every function or class that a
 * package.json entry point exports, one row with a VALID call and the parameters to spoil. Each spoiled call must
 * throw a RangeError or TypeError whose message names the parameter — never return (a NaN, a wrapped value, a
 * silent default), never hang (the test runs the rows in a worker under a watchdog).
 *
 * A row's `params` are spoiled one at a time with the bad values of their kind (BAD below); `cases` add hand-written
 * bad calls (mismatched shapes, wrong lengths). Exports that take no numeric input are listed in an entry's
 * `noNumericInput` with the reason; constants in `constants`. The test fails on an export without a row.
 */
import { tmpdir } from 'node:os';

export type Kind =
  | 'real' | 'positive' | 'nonNegative' | 'probability' | 'integer' | 'count' | 'finiteElement'
  | 'rng' | 'numbers' | 'string' | 'function' | 'object';

/** Bad values per kind. `count` is a size or an iteration budget: its 1e12 must be refused with the limit stated. */
export const BAD: Readonly<Record<Kind, readonly unknown[]>> = {
  real: [NaN, Infinity, -Infinity, '12'],
  positive: [NaN, Infinity, -Infinity, '12', 0, -1],
  nonNegative: [NaN, Infinity, -Infinity, '12', -1],
  probability: [NaN, Infinity, '12', -0.5, 1.5],
  integer: [NaN, Infinity, -Infinity, '12', 1.5],
  count: [NaN, Infinity, '12', 1.5, -1, 1e12],
  /** An element of a typed array (a string would be coerced on assignment). */
  finiteElement: [NaN, Infinity, -Infinity],
  rng: [undefined, null, {}, 42],
  numbers: ['12', 12, null, {}],
  string: [12, NaN, null, {}],
  function: ['12', 12, null],
  object: ['12', 12],
};

/** Messages of a crash inside the function (a missing check), not of a check. */
const CRASH = /Cannot read properties|is not a function|is not iterable|Cannot convert|Invalid (typed )?array length/;

/** The value 1e12 of a `count` must be refused with a message that states the limit. */
export const LIMIT_WORDS = /\.\.|≤|<=|at most|limit|maximum/;

export interface Param {
  /** The word the error message must contain. */
  readonly name: string;
  /** Where in the argument list: '0' = first argument, '1.snrDb' = field snrDb of the second, '0.re.0' = … */
  readonly at: string;
  readonly kind: Kind;
  /** Replaces the kind's bad values (when some of them are legal here, e.g. Infinity for blockLength). */
  readonly bad?: readonly unknown[];
}

export interface Case {
  readonly what: string;
  /** The word the error message must contain. */
  readonly name: string;
  readonly args: () => unknown[];
}

export interface Row {
  /** A valid call's arguments (a fresh copy per call: params are spoiled in place). */
  readonly args: () => unknown[];
  readonly params?: readonly Param[];
  readonly cases?: readonly Case[];
  /** A class: called with `new`. */
  readonly construct?: true;
  /** Why the valid call is not run (external tools, slow, side effects); by default it runs and must not throw. */
  readonly skipValid?: string;
}

export interface EntryTable {
  readonly rows: Readonly<Record<string, Row>>;
  /** Exported functions without a numeric (or array, size, rng) parameter, each with the reason. */
  readonly noNumericInput: Readonly<Record<string, string>>;
  /** Exported values that are not functions (constants, namespaces). */
  readonly constants: readonly string[];
}

/** Where rows write their files: the test's scratch folder (removed after the run), else the system's temp folder. */
export const scratchDir = (): string => process.env.INPUTS_TABLE_TMP ?? tmpdir();

export const p = (name: string, at: string, kind: Kind, bad?: readonly unknown[]): Param => ({ name, at, kind, bad });
export const c = (what: string, name: string, args: () => unknown[]): Case => ({ what, name, args });

/** args with the value at `path` replaced by `v` (paths index into arrays and objects). */
export function spoil(args: unknown[], path: string, v: unknown): unknown[] {
  const keys = path.split('.');
  let obj: Record<string, unknown> = args as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    const next = obj[k];
    if (next === null || typeof next !== 'object') {
      throw new Error(`table error: ${path} does not exist in the valid args`);
    }
    obj = next as Record<string, unknown>;
  }
  obj[keys[keys.length - 1]] = v;
  return args;
}

export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || v === undefined || v === null) return String(v);
  try {
    return JSON.stringify(v)?.slice(0, 60) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
};

/** One bad call: its label, the word its error must contain, the call, and whether the limit must be stated. */
export interface BadCall {
  readonly label: string;
  readonly name: string;
  readonly args: () => unknown[];
  readonly mustStateLimit: boolean;
}

export function badCalls(fn: string, row: Row): BadCall[] {
  const out: BadCall[] = [];
  for (const prm of row.params ?? []) {
    for (const v of prm.bad ?? BAD[prm.kind]) {
      out.push({
        label: `${fn}: ${prm.at} (${prm.name}) = ${show(v)}`,
        name: prm.name,
        args: () => spoil(row.args(), prm.at, v),
        mustStateLimit: prm.kind === 'count' && v === 1e12,
      });
    }
  }
  for (const cs of row.cases ?? []) out.push({ label: `${fn}: ${cs.what}`, name: cs.name, args: cs.args,
    mustStateLimit: false });
  return out;
}

/** Calls fn (or constructs it) and awaits a promise result. */
export async function invoke(fn: (...a: unknown[]) => unknown, args: unknown[], construct: boolean): Promise<unknown> {
  const r = construct ? new (fn as unknown as new (...a: unknown[]) => unknown)(...args) : fn(...args);
  return r instanceof Promise ? await r : r;
}

/** The verdict on one bad call: null when it was refused properly, else what went wrong. */
export async function judge(fn: (...a: unknown[]) => unknown, call: BadCall,
  construct: boolean): Promise<string | null> {
  let result: unknown;
  try {
    result = await invoke(fn, call.args(), construct);
  } catch (err) {
    if (!(err instanceof RangeError || err instanceof TypeError)) {
      const kind = (err as Error)?.constructor?.name ?? typeof err;
      return `threw ${kind} (not RangeError/TypeError): ${String((err as Error)?.message ?? err)}`;
    }
    if (!err.message.includes(call.name)) return `${err.constructor.name} does not name '${call.name}': ${err.message}`;
    if (CRASH.test(err.message)) return `crashed without validating: ${err.message}`;
    if (call.mustStateLimit && !LIMIT_WORDS.test(err.message)) {
      return `refused 1e12 without stating the limit: ${err.message}`;
    }
    return null;
  }
  return `returned ${show(result)} instead of throwing`;
}
