/** Reading, parameterising and cleaning .ipynb files (papermill's conventions, without papermill). */
import { readFileSync } from 'node:fs';
import { assertObject, assertString, describe, writeFileAtomic } from '../core/index.js';

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: { tags?: string[]; [k: string]: unknown };
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  metadata?: Record<string, unknown>;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown> & { workbook?: WorkbookMetadata };
  nbformat: number;
  nbformat_minor: number;
}

/** What a notebook declares about itself in `metadata.workbook`. */
export interface WorkbookMetadata {
  paper?: string;
  /** True when the notebook trains sweeps (runSweep): `workbook run --shard/--from-cache` and `workbook plan` apply. */
  sweeps?: boolean;
  /** Per-profile parameter overrides, applied before --param. */
  profiles?: Record<string, Record<string, ParamValue>>;
  /** Default per-cell limit in seconds for this notebook (a cell that trains a whole sweep needs more than 1800). */
  cellTimeout?: number;
  /** Set by the runner: the values injected, and the profile. */
  parameters?: Record<string, ParamValue>;
  profile?: string;
  failed_cell?: number;
  /** Why the run stopped when no cell output says it (a time-out, a dead kernel). */
  failed_reason?: string;
}

export type ParamValue = string | number | boolean | null | ParamValue[] | { [k: string]: ParamValue };

/** Throws unless `nb` looks like an nbformat-4 notebook (an object with a cells array). */
export function checkNotebook(nb: unknown): asserts nb is Notebook {
  assertObject('nb', nb);
  const n = nb as Notebook;
  if (!Array.isArray(n.cells)) {
    throw new TypeError(`nb must be an nbformat-4 notebook (with a cells array), got cells ${describe(n.cells)}`);
  }
  if (n.metadata !== undefined) assertObject('nb.metadata', n.metadata);
}

export function readNotebook(path: string): Notebook {
  assertString('path', path); // a number would read a file descriptor
  let nb: unknown;
  try {
    nb = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not a readable notebook: ${(err as Error).message}`);
  }
  const n = nb as Notebook;
  if (!n || !Array.isArray(n.cells) || typeof n.nbformat !== 'number') throw new Error(`${path} is not an nbformat-4 notebook`);
  return n;
}

export function writeNotebook(path: string, nb: Notebook): void {
  assertString('path', path);
  checkNotebook(nb);
  writeFileAtomic(path, JSON.stringify(nb, null, 1) + '\n');
}

export const sourceOf = (c: NotebookCell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);

const DECL = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(.+?);?\s*(?:\/\/.*)?$/;

/** The defaults declared in the cell tagged `parameters`: name → literal source text. */
export function declaredParameters(nb: Notebook): { index: number; names: Map<string, string> } {
  checkNotebook(nb);
  const index = nb.cells.findIndex((c) => c.cell_type === 'code' && c.metadata.tags?.includes('parameters'));
  const names = new Map<string, string>();
  if (index < 0) return { index, names };
  for (const line of sourceOf(nb.cells[index]).split('\n')) {
    const m = DECL.exec(line);
    if (m) names.set(m[1], m[2]);
  }
  return { index, names };
}

function literalKind(src: string): 'number' | 'string' | 'boolean' | 'other' {
  const s = src.trim();
  if (/^-?(\d|\.\d)/.test(s) || /^-?Infinity$/.test(s)) return 'number';
  if (/^['"`]/.test(s)) return 'string';
  if (s === 'true' || s === 'false') return 'boolean';
  return 'other';
}

/** Parse `--param key=value`: JSON when it parses (numbers, booleans, arrays), else a string. */
export function parseParam(arg: string): [string, ParamValue] {
  if (typeof arg !== 'string') throw new TypeError(`--param must be a string key=value, got ${describe(arg)}`);
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new RangeError(`--param must look like key=value (e.g. --param seed=7), got ${JSON.stringify(arg)}`);
  const key = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw new RangeError(`--param key must be an identifier, got ${JSON.stringify(key)}`);
  try {
    return [key, JSON.parse(raw) as ParamValue];
  } catch {
    return [key, raw];
  }
}

/** Check values against the declared defaults: unknown names and kind mismatches are errors that list what is allowed. */
export function validateParameters(nbName: string, nb: Notebook, params: Record<string, ParamValue>): void {
  assertString('nbName', nbName);
  checkNotebook(nb);
  assertObject('params', params);
  const { index, names } = declaredParameters(nb);
  const keys = Object.keys(params);
  if (keys.length === 0) return;
  if (index < 0) throw new RangeError(`${nbName} has no cell tagged "parameters", so it takes no --param (got ${keys.join(', ')})`);
  for (const k of keys) {
    const lit = names.get(k);
    if (lit === undefined) {
      throw new RangeError(`unknown parameter "${k}" for ${nbName}; its parameters are: ${[...names.keys()].join(', ')}`);
    }
    const want = literalKind(lit);
    const v = params[k];
    const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    if (want !== 'other' && got !== want) {
      throw new RangeError(`parameter "${k}" of ${nbName} must be a ${want} (default ${lit.trim()}), got ${JSON.stringify(v)}`);
    }
    if (typeof v === 'number' && !Number.isFinite(v) && want === 'number' && !/Infinity/.test(lit)) {
      throw new RangeError(`parameter "${k}" of ${nbName} must be a finite number, got ${v}`);
    }
  }
}

function typeAnnotation(v: ParamValue): string {
  return typeof v === 'string' ? ': string' : typeof v === 'number' ? ': number' : typeof v === 'boolean' ? ': boolean' : '';
}

function tsLiteral(v: ParamValue): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(v);
}

/**
 * Insert a cell tagged `injected-parameters` after the `parameters` cell (replacing an earlier injected one),
 * and record the values in the notebook's metadata. tslab accepts a later `const` redeclaring an earlier one.
 */
export function injectParameters(nb: Notebook, params: Record<string, ParamValue>, profile: string): Notebook {
  checkNotebook(nb);
  assertObject('params', params);
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'number' && Number.isNaN(v)) throw new RangeError(`params.${k} is NaN`);
  }
  assertString('profile', profile);
  const out: Notebook = structuredClone(nb);
  out.cells = out.cells.filter((c) => !c.metadata.tags?.includes('injected-parameters'));
  const { index } = declaredParameters(out);
  // Widened types: `const profile = "full"` would have the literal type "full", and TypeScript then rejects
  // `profile === 'quick'` in the notebook as a comparison that can never be true.
  const lines = Object.entries(params).map(([k, v]) => `const ${k}${typeAnnotation(v)} = ${tsLiteral(v)};`);
  const cell: NotebookCell = {
    cell_type: 'code',
    id: 'injected-parameters',
    metadata: { tags: ['injected-parameters'] },
    source: `// Parameters injected by \`workbook run\` (profile: ${profile})\n${lines.join('\n')}\n`,
    outputs: [],
    execution_count: null,
  };
  if (index >= 0) out.cells.splice(index + 1, 0, cell);
  else if (lines.length > 0) out.cells.unshift(cell);
  out.metadata.workbook = { ...(out.metadata.workbook ?? {}), parameters: params, profile };
  return out;
}

/** Drop outputs, execution counts and per-cell execution timing: what a committed notebook looks like. */
export function clearOutputs(nb: Notebook): Notebook {
  checkNotebook(nb);
  const out: Notebook = structuredClone(nb);
  for (const c of out.cells) {
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
    }
    delete c.metadata.execution;
  }
  return out;
}

/** Remove timing noise from an executed notebook (nbclient's timestamps), keeping outputs. */
export function stripTiming(nb: Notebook): Notebook {
  const out: Notebook = structuredClone(nb);
  for (const c of out.cells) delete c.metadata.execution;
  delete (out.metadata as Record<string, unknown>).papermill;
  return out;
}

export function hasOutputs(nb: Notebook): boolean {
  checkNotebook(nb);
  return nb.cells.some((c) => c.cell_type === 'code' && ((c.outputs?.length ?? 0) > 0 || (c.execution_count ?? null) !== null));
}

export const outputText = (o: NotebookOutput): string => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''));
