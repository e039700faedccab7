/**
 * The verdict rule (lib/workbook/verdict.ts), case by case as the README states it, on hand-made estimates whose
 * verdict follows from the rule by inspection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Estimate } from '../../lib/metrics/index.js';
import {
  claimsMarkdown, combineVerdicts, differencePart, identityCheck, identityPart, markdownCell, paperClaim, tallyClaims, valuePart,
} from '../../lib/workbook/index.js';

const est = (value: number, lo: number, hi: number): Estimate => ({ value, ci95: [lo, hi], n: 100, method: 'test' });

test('valuePart: contains → reproduced; same side of the reference → partly; otherwise not', () => {
  assert.equal(valuePart({ label: 'a', paper: 0.98, ours: est(0.977, 0.974, 0.980) }).verdict, 'reproduced');
  assert.equal(valuePart({ label: 'a', paper: 0.98, ours: est(0.96, 0.955, 0.965) }).verdict, 'not reproduced');
  const p = valuePart({ label: 'a', paper: 0.98, ours: est(0.96, 0.955, 0.965), reference: 0.1, referenceName: 'chance' });
  assert.equal(p.verdict, 'partly');
  assert.match(p.why, /chance/);
  assert.equal(valuePart({ label: 'a', paper: 0.98, ours: est(0.05, 0.03, 0.07), reference: 0.1 }).verdict, 'not reproduced');
  assert.equal(valuePart({ label: 'a', paper: 0.98, ours: est(0.1, 0.05, 0.15), reference: 0.1 }).verdict, 'not reproduced', 'straddles the reference');
});

test('differencePart: excludes 0 in direction → reproduced; with a magnitude outside → partly; contains 0 or wrong side → not', () => {
  assert.equal(differencePart({ label: 'd', diff: est(0.3, 0.1, 0.5), direction: 'greater' }).verdict, 'reproduced');
  assert.equal(differencePart({ label: 'd', diff: est(0.3, 0.1, 0.5), direction: 'greater', paper: 0.4 }).verdict, 'reproduced');
  assert.equal(differencePart({ label: 'd', diff: est(0.3, 0.1, 0.5), direction: 'greater', paper: 0.9 }).verdict, 'partly');
  assert.equal(differencePart({ label: 'd', diff: est(0.3, -0.1, 0.5), direction: 'greater' }).verdict, 'not reproduced');
  assert.equal(differencePart({ label: 'd', diff: est(-0.3, -0.5, -0.1), direction: 'greater' }).verdict, 'not reproduced');
  assert.equal(differencePart({ label: 'd', diff: est(-0.3, -0.5, -0.1), direction: 'less' }).verdict, 'reproduced');
  assert.throws(() => differencePart({ label: 'd', diff: est(0.3, 0.1, 0.5), direction: 'greater', paper: -1 }), /contradicts/);
});

test('identityPart: within tolerance passes, outside fails', () => {
  assert.equal(identityPart({ label: 'i', expected: 2, got: 2 + 1e-12, tolerance: 1e-9 }).verdict, 'passed');
  assert.equal(identityPart({ label: 'i', expected: 2, got: 2.1, tolerance: 1e-9 }).verdict, 'failed');
});

test('combineVerdicts and claim assembly: the weakest part heads the claim; identity and paper parts never mix', () => {
  assert.equal(combineVerdicts(['reproduced', 'reproduced']), 'reproduced');
  assert.equal(combineVerdicts(['not reproduced', 'not reproduced']), 'not reproduced');
  assert.equal(combineVerdicts(['reproduced', 'not reproduced']), 'partly');
  assert.equal(combineVerdicts(['partly', 'partly']), 'partly');
  assert.equal(combineVerdicts(['passed', 'failed']), 'failed');
  assert.throws(() => combineVerdicts(['passed', 'reproduced']), /mix/);
  const good = differencePart({ label: '10 dB', diff: est(0.3, 0.1, 0.5), direction: 'greater' });
  const bad = differencePart({ label: '20 dB', diff: est(0.0, -0.1, 0.1), direction: 'greater' });
  const c = paperClaim({ id: 'x-beats-y', source: 'Fig. 1', statement: 'X beats Y', unit: 'dB', parts: [good, bad], method: 'paired bootstrap', n: 500 });
  assert.equal(c.kind, 'claim');
  assert.equal(c.verdict, 'partly');
  assert.equal(c.ours, 0.0, 'headline numbers come from the weakest part');
  assert.match(c.why, /20 dB/);
  const i = identityCheck({ id: 'thm', source: 'eq. 1', statement: 'a theorem', unit: '', parts: [identityPart({ label: 'x', expected: 1, got: 1, tolerance: 0 })], method: 'exact', n: 1 });
  assert.equal(i.kind, 'identity');
  assert.throws(() => identityCheck({ id: 'thm', source: 'eq. 1', statement: 's', unit: '', parts: [good], method: 'm', n: 1 }), /identity checks take/);
  assert.throws(() => paperClaim({ id: 'Bad Id', source: 's', statement: 's', unit: '', parts: [good], method: 'm', n: 1 }), /id must be/);
  assert.throws(() => paperClaim({ id: 'ok', source: 's', statement: 's', unit: '', parts: [], method: 'm', n: 1 }), /non-empty/);
  const t = tallyClaims([c, i]);
  assert.deepEqual(t, { reproduced: 0, partly: 1, notReproduced: 0, identityPassed: 1, identityFailed: 0 });
});

test('claimsMarkdown: a pipe inside a claim stays inside its cell', () => {
  assert.equal(markdownCell('a | b'), 'a \\| b');
  const c = paperClaim({
    id: 'pipe', source: 'Lemma 2', statement: 'rows sum to 1: |Σ_y Q(y|x) − 1| = 0', unit: '',
    parts: [valuePart({ label: 'row sum', paper: 0, ours: est(0.4, 0.39, 0.41) })], method: 'exact', n: 1,
  });
  const md = claimsMarkdown([c]);
  const row = md.split('\n').find((l) => l.startsWith('| pipe'));
  assert.ok(row);
  const cells = row.split(/(?<!\\)\|/).slice(1, -1);
  assert.equal(cells.length, 6, `six cells in ${row}`);
});

test('verdict inputs are validated', () => {
  assert.throws(() => valuePart({ label: 'a', paper: NaN, ours: est(1, 0, 2) }), /paper must be a finite number/);
  assert.throws(() => valuePart({ label: 'a', paper: 1, ours: est(1, 2, 0) }), /lo ≤ hi/);
  assert.throws(() => differencePart({ label: 'a', diff: est(1, 0, 2), direction: 'up' as 'greater' }), /direction/);
  assert.throws(() => identityPart({ label: 'a', expected: 1, got: 1, tolerance: -1 }), /tolerance/);
});
