/**
 * Checked re-execution (what nbval/nbmake give Python notebooks): the numbers a notebook's quick profile writes to
 * results.json, compared with committed expected values `test/expected/<paper>.quick.json`, each with a tolerance.
 *
 * What is compared: every number under `figures`, `tables`, `values` and `claims` of results.json (claims keyed by
 * their id), and each claim's verdict; never provenance, and never a timing (any key holding "seconds", "wall" or
 * "MsPerStep"). A row list longer than SUMMARY_ROWS (e.g. a Voronoi raster) is compared by its per-column count,
 * sum, min and max. A value passes when |got − expected| ≤ abs + rel·|expected|, with (rel, abs) from the first
 * tolerance rule whose pattern matches its path. Rules are written by hand in the file, each with its reason (exact
 * solvers: ~1e-9 relative; trained models: what two runs from empty model caches showed), and marked
 * `backendDependent` where the number comes from TensorFlow.js: those are skipped, with the reason shown, when the
 * run's backend is not the one recorded (a native or GPU backend rounds differently; backendKey).
 *
 * `workbook run --profile quick --update-expected` rewrites the values on purpose and keeps the rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, writeFileAtomic } from '../core/index.js';

export interface ToleranceRule {
  /** A regular expression over the value's path (e.g. `^(figures|tables)\\.fig3_`). */
  readonly pattern: string;
  readonly rel: number;
  readonly abs: number;
  /** The number comes from TensorFlow.js (training, evaluation): only comparable on the recorded backend. */
  readonly backendDependent: boolean;
  /** Why this tolerance: how it was measured or argued. */
  readonly why: string;
}

export interface ExpectedFile {
  readonly paper: string;
  readonly profile: 'quick';
  readonly note: string;
  /** The run the values come from. */
  readonly recorded: {
    readonly commit: string | null;
    readonly backend: string;
    readonly parameters: Record<string, unknown>;
    readonly seed: number | null;
    readonly date: string;
  };
  readonly rules: readonly ToleranceRule[];
  readonly values: Record<string, number | string>;
}

/** The part of results.json read here. */
export interface ResultsLike {
  readonly paper: string;
  readonly provenance: {
    commit: string | null; backend: string; parameters: Record<string, unknown>; seed: number | null; profile: string;
  };
  readonly figures: Record<string, unknown>;
  readonly tables: Record<string, unknown>;
  readonly values: Record<string, unknown>;
  readonly claims: readonly { id: string; verdict?: string }[];
}

export interface Mismatch {
  readonly path: string;
  readonly kind: 'differs' | 'missing' | 'new';
  readonly expected: number | string | null;
  readonly got: number | string | null;
  /** The tolerance applied, as text. */
  readonly tolerance: string;
}

export interface Comparison {
  readonly compared: number;
  readonly mismatches: readonly Mismatch[];
  /** Values not compared because the backend differs from the recorded one (with the reason), or null. */
  readonly skipped: { readonly count: number; readonly reason: string } | null;
  /** A difference in the run's quick parameters or seed (then the values cannot be compared at all), or null. */
  readonly setup: string | null;
}

/** Row lists longer than this are compared by per-column count, sum, min and max. */
export const SUMMARY_ROWS = 400;

const VOLATILE = /seconds|wall|msperstep|startedat/i;

/** When no rule of a file matches: exact up to 1e-9 relative. */
export const DEFAULT_RULE: ToleranceRule = {
  pattern: '.*', rel: 1e-9, abs: 1e-12, backendDependent: true,
  why: 'default: the quick profile is deterministic for a seed and backend (two runs agree bit for bit)',
};

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (k: string): string => (IDENT.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** Every compared value of a results.json, by path (`figures.fig1.rows[3].rate`, `claims["zepe-kl-zero"].ours`). */
export function expectedValues(results: ResultsLike): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'number') {
      if (Number.isFinite(node)) out[path] = node;
      return;
    }
    if (Array.isArray(node)) {
      if (node.length > SUMMARY_ROWS && node.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
        summarise(node as Record<string, unknown>[], path, out);
        return;
      }
      node.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        if (!VOLATILE.test(k)) walk(v, `${path}${key(k)}`);
      }
    }
  };
  walk(results.figures, 'figures');
  walk(results.tables, 'tables');
  walk(results.values, 'values');
  for (const c of results.claims) {
    const base = `claims${key(c.id)}`;
    if (typeof c.verdict === 'string') out[`${base}.verdict`] = c.verdict;
    for (const [k, v] of Object.entries(c)) if (k !== 'id' && !VOLATILE.test(k)) walk(v, `${base}${key(k)}`);
  }
  return out;
}

function summarise(rows: readonly Record<string, unknown>[], path: string, out: Record<string, number | string>): void {
  const cols = new Map<string, number[]>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || VOLATILE.test(k)) continue;
      const c = cols.get(k) ?? [];
      c.push(v);
      cols.set(k, c);
    }
  }
  out[`${path}.length`] = rows.length;
  for (const [k, v] of cols) {
    out[`${path}[*]${key(k)}.count`] = v.length;
    out[`${path}[*]${key(k)}.sum`] = v.reduce((a, b) => a + b, 0);
    out[`${path}[*]${key(k)}.min`] = Math.min(...v);
    out[`${path}[*]${key(k)}.max`] = Math.max(...v);
  }
}

/** The rule that applies to a path (the first whose pattern matches; DEFAULT_RULE if none). */
export function ruleFor(rules: readonly ToleranceRule[], path: string): ToleranceRule {
  return rules.find((r) => new RegExp(r.pattern).test(path)) ?? DEFAULT_RULE;
}

const fmt = (v: number | string | null): string => (typeof v === 'number' ? String(v) : JSON.stringify(v));

/** Compare a run's results.json with the expected file. */
export function compareExpected(expected: ExpectedFile, results: ResultsLike): Comparison {
  const p = results.provenance;
  const rec = expected.recorded;
  if (JSON.stringify(sortKeys(p.parameters)) !== JSON.stringify(sortKeys(rec.parameters)) || p.seed !== rec.seed) {
    return {
      compared: 0, mismatches: [], skipped: null,
      setup: `the run's parameters/seed (${JSON.stringify(p.parameters)}, seed ${p.seed}) are not the recorded ones `
        + `(${JSON.stringify(rec.parameters)}, seed ${rec.seed}): `
        + 'if the quick profile changed on purpose, run `npx workbook run <paper> --profile quick --update-expected`',
    };
  }
  const sameBackend = backendKey(p.backend) === backendKey(rec.backend);
  const got = expectedValues(results);
  const mismatches: Mismatch[] = [];
  let compared = 0;
  let skipped = 0;
  for (const [path, want] of Object.entries(expected.values)) {
    const rule = ruleFor(expected.rules, path);
    if (rule.backendDependent && !sameBackend) {
      skipped++;
      continue;
    }
    compared++;
    const tol = typeof want === 'number' ? `|Δ| ≤ ${rule.abs} + ${rule.rel}·|expected|` : 'equal';
    const have = path in got ? got[path] : null;
    if (have === null) mismatches.push({ path, kind: 'missing', expected: want, got: null, tolerance: tol });
    else if (typeof want === 'number' && typeof have === 'number') {
      if (!(Math.abs(have - want) <= rule.abs + rule.rel * Math.abs(want))) {
        mismatches.push({ path, kind: 'differs', expected: want, got: have, tolerance: tol });
      }
    } else if (want !== have) mismatches.push({ path, kind: 'differs', expected: want, got: have, tolerance: tol });
  }
  for (const path of Object.keys(got)) {
    if (path in expected.values) continue;
    if (ruleFor(expected.rules, path).backendDependent && !sameBackend) continue;
    mismatches.push({ path, kind: 'new', expected: null, got: got[path], tolerance: 'not in the expected file' });
  }
  return {
    compared, mismatches, setup: null,
    skipped: skipped > 0
      ? { count: skipped, reason: `backend ${JSON.stringify(p.backend)} is not the recorded ${JSON.stringify(rec.backend)}` }
      : null,
  };
}

/** One line per mismatch: path, expected, got, tolerance (at most `max` lines, then a count). */
export function formatMismatches(paper: string, mismatches: readonly Mismatch[], max = 25): string {
  const lines = mismatches.slice(0, max).map((m) => m.kind === 'new'
    ? `${paper}: ${m.path}: new value ${fmt(m.got)} (not in test/expected/${paper}.quick.json)`
    : m.kind === 'missing'
      ? `${paper}: ${m.path}: expected ${fmt(m.expected)}, got nothing (the value is gone)`
      : `${paper}: ${m.path}: expected ${fmt(m.expected)}, got ${fmt(m.got)} (tolerance ${m.tolerance})`);
  if (mismatches.length > max) lines.push(`… and ${mismatches.length - max} more`);
  lines.push('If the change is intended: npx workbook run ' + paper + ' --profile quick --update-expected');
  return lines.join('\n');
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The backend a description names, without its parenthesised notes: "tfjs 4.22.0, backend wasm (tfjs-node-gpu: not
 * installed; …)" → "tfjs 4.22.0, backend wasm". The notes say which native packages were tried; they do not change
 * the numbers.
 */
export function backendKey(description: string): string {
  let s = description;
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\s*\([^()]*\)/g, '');
  }
  return s.trim();
}

/** Where a paper's expected quick-profile values live. */
export function expectedPath(paper: string, root = projectRoot()): string {
  if (!/^[a-z0-9_-]+$/.test(paper)) {
    throw new RangeError(`paper must be a short lowercase name like "zepe", got ${JSON.stringify(paper)}`);
  }
  return join(root, 'test', 'expected', `${paper}.quick.json`);
}

export function readExpected(path: string): ExpectedFile | null {
  if (!existsSync(path)) return null;
  const f = JSON.parse(readFileSync(path, 'utf8')) as ExpectedFile;
  if (f.profile !== 'quick' || typeof f.values !== 'object' || !Array.isArray(f.rules)) {
    throw new TypeError(`${path} is not an expected-values file (profile "quick", rules [], values {})`);
  }
  return f;
}

/**
 * The expected file for a quick run: its values now, the rules and note of the previous file (or DEFAULT_RULE).
 * Throws RangeError for a run of another profile: only the quick profile has expected values.
 */
export function buildExpected(results: ResultsLike, previous: ExpectedFile | null): ExpectedFile {
  if (results.provenance.profile !== 'quick') {
    const profile = JSON.stringify(results.provenance.profile);
    throw new RangeError(`expected values are kept for the quick profile only; this run is profile ${profile}`);
  }
  const p = results.provenance;
  return {
    paper: results.paper,
    profile: 'quick',
    note: previous?.note
      ?? `Expected quick-profile values of ${results.paper} (lib/workbook/expected.ts); rewrite with --update-expected.`,
    recorded: {
      commit: p.commit, backend: p.backend, parameters: p.parameters, seed: p.seed, date: new Date().toISOString().slice(0, 10),
    },
    rules: previous?.rules ?? [DEFAULT_RULE],
    values: expectedValues(results),
  };
}

/** Rewrite `test/expected/<paper>.quick.json` from a quick run's results.json; returns the file's path. */
export function updateExpected(resultsPath: string, root = projectRoot()): string {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsLike;
  const path = expectedPath(results.paper, root);
  const next = buildExpected(results, readExpected(path));
  writeFileAtomic(path, `${JSON.stringify(next, null, 1)}\n`);
  return path;
}
