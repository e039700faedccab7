/**
 * The one verdict rule every paper's claims go through. A claim compares the paper's number with ours, and ours
 * always carries a 95 % interval (lib/metrics/bootstrap.ts). The rule, as the README states it:
 *
 * - value ("the paper reports X"): *reproduced* when our interval contains X. Otherwise *partly* when the claim names
 *   a reference r the number is measured against (chance, a baseline, a threshold, 0 for a gain) and our whole
 *   interval lies on the same side of r as X; *not reproduced* when it does not.
 * - difference ("A beats B", optionally "by X"): the paired interval of A − B (or of the relative gain). *reproduced*
 *   when it excludes 0 in the paper's direction and, if the paper gives a magnitude X, also contains X; *partly* when
 *   it excludes 0 in the paper's direction but misses X; *not reproduced* when it contains 0 (indistinguishable) or
 *   lies on the other side.
 * - several parts (one per SNR, rate *and* accuracy, …): *reproduced* when every part is, *not reproduced* when every
 *   part is, *partly* otherwise.
 * - identity checks — results that hold by construction (a theorem, a solver's own constraint, a formula against a
 *   simulation of itself) — *pass* when |got − expected| ≤ tolerance, and are listed apart: they test the code, never
 *   the paper, and are never counted as reproduced claims.
 *
 * No other code decides a verdict: the paper folders' claims.ts build these objects from their results.
 */
import { assertObject, assertOneOf, assertString, describe } from '../core/index.js';
import type { Estimate } from '../metrics/bootstrap.js';

export type ClaimVerdict = 'reproduced' | 'partly' | 'not reproduced';
export type IdentityVerdict = 'passed' | 'failed';
export type Verdict = ClaimVerdict | IdentityVerdict;
export type ClaimKind = 'claim' | 'identity';

/** One comparison inside a claim. */
export interface ClaimPart {
  /** What this part compares, e.g. "10 dB" or "rate (bits)". */
  readonly label: string;
  /** The paper's number (null when the paper states only a direction). */
  readonly paper: number | null;
  readonly ours: number;
  /** Our 95 % interval. For identity checks: [got − tolerance, got + tolerance]. */
  readonly interval: readonly [number, number];
  readonly verdict: Verdict;
  readonly why: string;
}

/** A checked claim as results.json stores it. */
export interface Claim {
  readonly id: string;
  readonly kind: ClaimKind;
  /** Where in the paper: "§IV-B, Fig. 7(c)". */
  readonly source: string;
  /** The paper's statement, in our words. */
  readonly statement: string;
  readonly unit: string;
  /** The headline part's numbers (the deciding part for several parts). */
  readonly paper: number | null;
  readonly ours: number;
  readonly interval: readonly [number, number];
  readonly verdict: Verdict;
  /** One line: why this verdict. */
  readonly why: string;
  /** How the interval was made ("paired percentile bootstrap over 500 patches, B = 2000"). */
  readonly method: string;
  /** Test items behind `ours`. */
  readonly n: number;
  readonly parts: readonly ClaimPart[];
}

export interface ClaimHeader {
  readonly id: string;
  readonly source: string;
  readonly statement: string;
  readonly unit: string;
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 || Number.isInteger(x) ? x.toFixed(Math.abs(x) >= 100 ? 1 : 0) : x.toPrecision(4)) : String(x));
const fmtCi = (c: readonly [number, number]): string => `[${fmt(c[0])}, ${fmt(c[1])}]`;

function checkHeader(h: ClaimHeader): void {
  if (typeof h.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(h.id)) throw new RangeError(`id must be a short kebab-case name, got ${JSON.stringify(h.id)}`);
  for (const k of ['source', 'statement', 'unit'] as const) {
    if (typeof h[k] !== 'string') throw new TypeError(`${k} must be a string`);
  }
  if (h.source === '' || h.statement === '') throw new RangeError('source and statement must not be empty');
}

function checkEstimate(name: string, e: Estimate): void {
  if (!e || !Number.isFinite(e.value) || !Array.isArray(e.ci95) || e.ci95.length !== 2) {
    throw new RangeError(`${name} must be an Estimate { value, ci95: [lo, hi], n, method } with finite numbers`);
  }
  const [lo, hi] = e.ci95;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new RangeError(`${name}.ci95 must be finite with lo ≤ hi, got [${lo}, ${hi}]`);
}

function checkFinite(name: string, x: number | null | undefined, allowNull: boolean): void {
  if (x === null || x === undefined) {
    if (!allowNull) throw new RangeError(`${name} must be a finite number`);
    return;
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${String(x)}`);
}

const VERDICTS: readonly Verdict[] = ['reproduced', 'partly', 'not reproduced', 'passed', 'failed'];
const KINDS: readonly ClaimKind[] = ['claim', 'identity'];

/** The options object of a part, with its label. */
function checkPart(p: unknown): void {
  assertObject('options', p);
  assertString('label', (p as { label: unknown }).label);
}

/** A list of claims as verdict.ts builds them: kind, verdict, finite interval. */
function checkClaims(claims: unknown): asserts claims is readonly Claim[] {
  if (!Array.isArray(claims)) throw new TypeError(`claims must be an array of Claim objects, got ${describe(claims)}`);
  claims.forEach((c: unknown, i) => {
    assertObject(`claims[${i}]`, c);
    const x = c as Claim;
    assertOneOf(`claims[${i}].kind`, x.kind, KINDS);
    assertOneOf(`claims[${i}].verdict`, x.verdict, VERDICTS);
    if (!Array.isArray(x.interval) || x.interval.length !== 2 || !x.interval.every(Number.isFinite)) {
      throw new RangeError(`claims[${i}].interval must be [lo, hi] with finite numbers, got ${describe(x.interval)}`);
    }
  });
}

const contains = (c: readonly [number, number], x: number): boolean => c[0] <= x && x <= c[1];
/** Side of the interval relative to r: +1 wholly above, −1 wholly below, 0 straddles. */
const side = (c: readonly [number, number], r: number): -1 | 0 | 1 => (c[0] > r ? 1 : c[1] < r ? -1 : 0);

export interface ValuePart {
  readonly label: string;
  readonly paper: number;
  readonly ours: Estimate;
  /** What the number is measured against (chance, a baseline, a threshold); enables *partly*. */
  readonly reference?: number;
  /** What the reference is, for the why line ("chance", "plain VQ-VAE"). */
  readonly referenceName?: string;
}

/** Verdict of one "the paper reports X" comparison. */
export function valuePart(p: ValuePart): ClaimPart {
  checkPart(p);
  checkFinite('paper', p.paper, false);
  checkEstimate('ours', p.ours);
  if (p.reference !== undefined) checkFinite('reference', p.reference, false);
  const ci = p.ours.ci95;
  let verdict: ClaimVerdict;
  let why: string;
  if (contains(ci, p.paper)) {
    verdict = 'reproduced';
    why = `our 95 % interval ${fmtCi(ci)} contains the paper's ${fmt(p.paper)}`;
  } else if (p.reference === undefined) {
    verdict = 'not reproduced';
    why = `our 95 % interval ${fmtCi(ci)} excludes the paper's ${fmt(p.paper)}`;
  } else {
    const want = Math.sign(p.paper - p.reference);
    const got = side(ci, p.reference);
    const ref = p.referenceName ? `${p.referenceName} (${fmt(p.reference)})` : fmt(p.reference);
    if (want !== 0 && got === want) {
      verdict = 'partly';
      why = `${want > 0 ? 'above' : 'below'} ${ref} as in the paper, but our interval ${fmtCi(ci)} excludes the paper's ${fmt(p.paper)}`;
    } else {
      verdict = 'not reproduced';
      why = got === 0 ? `our interval ${fmtCi(ci)} straddles ${ref}; the paper's ${fmt(p.paper)} is not in it` : `our interval ${fmtCi(ci)} is on the other side of ${ref} from the paper's ${fmt(p.paper)}`;
    }
  }
  return { label: p.label, paper: p.paper, ours: p.ours.value, interval: [ci[0], ci[1]], verdict, why };
}

export interface DifferencePart {
  readonly label: string;
  /** The paired estimate of A − B (or of A's relative gain over B). */
  readonly diff: Estimate;
  /** The direction the paper states: 'greater' for "A beats B" on a higher-is-better measure. */
  readonly direction: 'greater' | 'less';
  /** The paper's magnitude of A − B (or of the gain), when it gives one. */
  readonly paper?: number | null;
}

/** Verdict of one "A beats B (by X)" comparison. */
export function differencePart(p: DifferencePart): ClaimPart {
  checkPart(p);
  checkEstimate('diff', p.diff);
  if (p.direction !== 'greater' && p.direction !== 'less') throw new RangeError(`direction must be 'greater' or 'less', got ${JSON.stringify(p.direction)}`);
  const magnitude = p.paper ?? null;
  checkFinite('paper', magnitude, true);
  const want = p.direction === 'greater' ? 1 : -1;
  if (magnitude !== null && Math.sign(magnitude) !== want) throw new RangeError(`paper's magnitude ${magnitude} contradicts direction '${p.direction}'`);
  const ci = p.diff.ci95;
  const got = side(ci, 0);
  let verdict: ClaimVerdict;
  let why: string;
  if (got === 0) {
    verdict = 'not reproduced';
    why = `the difference's 95 % interval ${fmtCi(ci)} contains 0: indistinguishable`;
  } else if (got !== want) {
    verdict = 'not reproduced';
    why = `the difference's 95 % interval ${fmtCi(ci)} lies on the other side of 0 from the paper's claim`;
  } else if (magnitude === null || contains(ci, magnitude)) {
    verdict = 'reproduced';
    why = magnitude === null
      ? `the difference's 95 % interval ${fmtCi(ci)} excludes 0 in the paper's direction`
      : `the difference's 95 % interval ${fmtCi(ci)} excludes 0 and contains the paper's ${fmt(magnitude)}`;
  } else {
    verdict = 'partly';
    why = `direction as in the paper (interval ${fmtCi(ci)} excludes 0), but it excludes the paper's ${fmt(magnitude)}`;
  }
  return { label: p.label, paper: magnitude, ours: p.diff.value, interval: [ci[0], ci[1]], verdict, why };
}

export interface IdentityPart {
  readonly label: string;
  readonly expected: number;
  readonly got: number;
  /** Largest |got − expected| accepted (absolute). */
  readonly tolerance: number;
}

/** A result that holds by construction, checked numerically (passes within the tolerance). */
export function identityPart(p: IdentityPart): ClaimPart {
  checkPart(p);
  checkFinite('expected', p.expected, false);
  checkFinite('got', p.got, false);
  if (!(p.tolerance >= 0) || !Number.isFinite(p.tolerance)) throw new RangeError(`tolerance must be finite and ≥ 0, got ${p.tolerance}`);
  const err = Math.abs(p.got - p.expected);
  const verdict: IdentityVerdict = err <= p.tolerance ? 'passed' : 'failed';
  return {
    label: p.label, paper: p.expected, ours: p.got, interval: [p.got - p.tolerance, p.got + p.tolerance], verdict,
    why: `|got − expected| = ${err.toExponential(2)} ${verdict === 'passed' ? '≤' : '>'} tolerance ${p.tolerance.toExponential(1)}`,
  };
}

/** Verdict over several parts: every part reproduced → reproduced; none at least partly → not; else partly. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (!Array.isArray(verdicts)) throw new TypeError(`verdicts must be an array of verdicts, got ${describe(verdicts)}`);
  if (verdicts.length === 0) throw new RangeError('verdicts must be non-empty');
  verdicts.forEach((v, i) => assertOneOf(`verdicts[${i}]`, v, VERDICTS));
  const isIdentity = verdicts.map((v) => v === 'passed' || v === 'failed');
  if (isIdentity.some((x) => x !== isIdentity[0])) throw new RangeError('a claim cannot mix identity checks with paper comparisons');
  if (isIdentity[0]) return verdicts.every((v) => v === 'passed') ? 'passed' : 'failed';
  if (verdicts.every((v) => v === 'reproduced')) return 'reproduced';
  if (verdicts.every((v) => v === 'not reproduced')) return 'not reproduced';
  return 'partly';
}

const RANK: Record<Verdict, number> = { failed: 0, 'not reproduced': 0, partly: 1, passed: 2, reproduced: 2 };

export interface ClaimInput extends ClaimHeader {
  readonly parts: readonly ClaimPart[];
  /** How the intervals were made and on how many items (shown with the claim). */
  readonly method: string;
  readonly n: number;
}

/** A paper claim (kind 'claim') from its parts; its headline numbers are those of the weakest part. */
export function paperClaim(c: ClaimInput): Claim {
  return assemble('claim', c);
}

/** An identity check (kind 'identity'): holds by construction, shown apart from the paper's claims. */
export function identityCheck(c: ClaimInput): Claim {
  return assemble('identity', c);
}

function assemble(kind: ClaimKind, c: ClaimInput): Claim {
  assertObject('claim', c);
  checkHeader(c);
  if (!Array.isArray(c.parts) || c.parts.length === 0) throw new RangeError(`parts of claim ${c.id} must be a non-empty array`);
  const identity = c.parts.every((p) => p.verdict === 'passed' || p.verdict === 'failed');
  if (identity !== (kind === 'identity')) throw new RangeError(`claim ${c.id}: ${kind === 'identity' ? 'identity checks take identityPart parts' : 'paper claims take valuePart/differencePart parts'}`);
  if (typeof c.method !== 'string' || c.method === '') throw new TypeError(`method of claim ${c.id} must say how the intervals were made`);
  if (!Number.isInteger(c.n) || c.n < 1) throw new RangeError(`n of claim ${c.id} must be a positive integer (test items), got ${c.n}`);
  const verdict = combineVerdicts(c.parts.map((p) => p.verdict));
  const parts: readonly ClaimPart[] = c.parts;
  let head: ClaimPart = parts[0];
  for (const p of parts) if (RANK[p.verdict] < RANK[head.verdict]) head = p;
  const why = c.parts.length === 1 ? head.why : `${c.parts.filter((p) => p.verdict === head.verdict).length}/${c.parts.length} parts ${head.verdict}; ${head.label}: ${head.why}`;
  return {
    id: c.id, kind, source: c.source, statement: c.statement, unit: c.unit,
    paper: head.paper, ours: head.ours, interval: head.interval, verdict, why, method: c.method, n: c.n, parts: c.parts,
  };
}

export interface ClaimTally {
  readonly reproduced: number;
  readonly partly: number;
  readonly notReproduced: number;
  readonly identityPassed: number;
  readonly identityFailed: number;
}

/** Counts of verdicts (the README's status table). */
export function tallyClaims(claims: readonly Claim[]): ClaimTally {
  checkClaims(claims);
  const n = (k: ClaimKind, v: Verdict): number => claims.filter((c) => c.kind === k && c.verdict === v).length;
  return {
    reproduced: n('claim', 'reproduced'), partly: n('claim', 'partly'), notReproduced: n('claim', 'not reproduced'),
    identityPassed: n('identity', 'passed'), identityFailed: n('identity', 'failed'),
  };
}

/** Escape a cell for a Markdown table (pipes, newlines). */
export function markdownCell(s: string): string {
  assertString('s', s);
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The claims as a Markdown table: paper claims first, then identity checks. */
export function claimsMarkdown(claims: readonly Claim[]): string {
  checkClaims(claims);
  const row = (c: Claim): string => {
    const iv = `[${fmt(c.interval[0])}, ${fmt(c.interval[1])}]`;
    return `| ${markdownCell(c.id)} | ${markdownCell(`${c.statement} (${c.source})`)} | ${c.paper === null ? '—' : markdownCell(fmt(c.paper))} | ${markdownCell(`${fmt(c.ours)} ${iv}`)} ${markdownCell(c.unit)} | **${c.verdict}** | ${markdownCell(c.why)} |`;
  };
  const head = ['| id | claim | paper | ours [95 % interval] | verdict | why |', '| --- | --- | --- | --- | --- | --- |'];
  const papers = claims.filter((c) => c.kind === 'claim');
  const ids = claims.filter((c) => c.kind === 'identity');
  const out = ['**Paper claims**', '', ...head, ...papers.map(row)];
  if (ids.length) out.push('', '**Identity checks** (hold by construction; they test the code, not the paper)', '', ...head, ...ids.map(row));
  return out.join('\n');
}
