/**
 * Checked re-execution (lib/workbook/expected.ts): which numbers of a results.json are compared, how tolerances
 * apply, how a mismatch is named (path, expected, got), and what happens on another backend or other parameters.
 * The reference is hand-computed on a small synthetic results.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backendKey, buildExpected, compareExpected, expectedPath, expectedValues, formatMismatches, SUMMARY_ROWS, updateExpected, type ExpectedFile, type ResultsLike,
} from '../../lib/workbook/expected.js';

function results(over: Partial<{ rate: number; acc: number; backend: string; seed: number; verdict: string; extra: boolean }> = {}): ResultsLike {
  return {
    paper: 'demo',
    provenance: { commit: 'abc', backend: over.backend ?? 'exact; tfjs wasm', parameters: { points: 8 }, seed: over.seed ?? 1, profile: 'quick' },
    figures: { fig1: { files: ['demo/fig1.svg'], spec_title: 'Fig. 1', rows: [{ curve: 'ZEPE', rate: over.rate ?? 1.5, distortion: 0.25 }] } },
    tables: { 'fig3 table': { files: [], rows: [{ 'acc (%)': over.acc ?? 91.25, n: 300 }] } },
    values: { fig1: { hx: 2.4, seconds: 0.07 }, fig3: { mnistSeconds: { training: 12 }, steps: 400 }, trainMsPerStep: 310, ...(over.extra ? { more: 3 } : {}) },
    claims: [{ id: 'zepe-kl-zero', verdict: over.verdict ?? 'passed', ours: 1e-16, interval: [0, 2e-16] } as { id: string; verdict: string }],
  };
}

const rules = [
  { pattern: '^tables', rel: 1e-6, abs: 1e-9, backendDependent: true, why: 'trained' },
  { pattern: '.*', rel: 1e-9, abs: 1e-12, backendDependent: false, why: 'exact' },
];
const expected = (): ExpectedFile => ({ ...buildExpected(results(), null), rules });

test('expectedValues: numbers by JSON path, claim verdicts, no timings, no provenance', () => {
  const v = expectedValues(results());
  assert.deepEqual(v, {
    'figures.fig1.rows[0].rate': 1.5,
    'figures.fig1.rows[0].distortion': 0.25,
    'tables["fig3 table"].rows[0]["acc (%)"]': 91.25,
    'tables["fig3 table"].rows[0].n': 300,
    'values.fig1.hx': 2.4,
    'values.fig3.steps': 400,
    'claims["zepe-kl-zero"].verdict': 'passed',
    'claims["zepe-kl-zero"].ours': 1e-16,
    'claims["zepe-kl-zero"].interval[0]': 0,
    'claims["zepe-kl-zero"].interval[1]': 2e-16,
  });
});

test('long row lists are compared by per-column count, sum, min, max', () => {
  const r = results();
  const rows = Array.from({ length: SUMMARY_ROWS + 1 }, (_, i) => ({ layer: 'cell', x: i, cell: i % 3 }));
  (r.figures as Record<string, unknown>).voronoi = { files: [], rows };
  const v = expectedValues(r);
  assert.equal(v['figures.voronoi.rows.length'], SUMMARY_ROWS + 1);
  assert.equal(v['figures.voronoi.rows[*].x.sum'], (SUMMARY_ROWS * (SUMMARY_ROWS + 1)) / 2);
  assert.equal(v['figures.voronoi.rows[*].x.max'], SUMMARY_ROWS);
  assert.equal(v['figures.voronoi.rows[*].cell.min'], 0);
  assert.ok(!Object.keys(v).some((k) => k.startsWith('figures.voronoi.rows[0]')));
});

test('compareExpected: within tolerance passes; outside names path, expected and got; missing and new values fail', () => {
  assert.deepEqual(compareExpected(expected(), results()).mismatches, []);
  // exact rule: 1.5 → 1.5 + 1e-10 passes (1e-12 + 1.5e-9), 1.5 + 1e-8 fails
  assert.deepEqual(compareExpected(expected(), results({ rate: 1.5 + 1e-10 })).mismatches, []);
  const off = compareExpected(expected(), results({ rate: 1.5 + 1e-8 }));
  assert.equal(off.mismatches.length, 1);
  assert.deepEqual({ ...off.mismatches[0], tolerance: '' }, { path: 'figures.fig1.rows[0].rate', kind: 'differs', expected: 1.5, got: 1.5 + 1e-8, tolerance: '' });
  assert.match(formatMismatches('demo', off.mismatches), /demo: figures\.fig1\.rows\[0\]\.rate: expected 1\.5, got 1\.50000001 \(tolerance \|Δ\| ≤ 1e-12 \+ 1e-9·\|expected\|\)/);
  // trained rule: 91.25 ± 9e-5 passes (1e-9 + 9.1e-5), ± 1e-3 fails
  assert.deepEqual(compareExpected(expected(), results({ acc: 91.25 + 9e-5 })).mismatches, []);
  assert.equal(compareExpected(expected(), results({ acc: 91.26 })).mismatches[0].path, 'tables["fig3 table"].rows[0]["acc (%)"]');
  assert.equal(compareExpected(expected(), results({ verdict: 'failed' })).mismatches[0].kind, 'differs');
  const added = compareExpected(expected(), results({ extra: true })).mismatches;
  assert.deepEqual(added.map((m) => [m.kind, m.path]), [['new', 'values.more']]);
  const e = expected();
  const gone = compareExpected({ ...e, values: { ...e.values, 'values.old': 1 } }, results()).mismatches;
  assert.deepEqual(gone.map((m) => [m.kind, m.path]), [['missing', 'values.old']]);
});

test('another backend skips the backend-dependent values (counted, with the reason); other parameters stop the comparison', () => {
  const c = compareExpected(expected(), results({ backend: 'tfjs-node', acc: 50 }));
  assert.deepEqual(c.mismatches, []);
  assert.equal(c.skipped?.count, 2);
  assert.match(c.skipped?.reason ?? '', /backend "tfjs-node" is not the recorded "exact; tfjs wasm"/);
  assert.equal(c.compared, 8);
  const notes = compareExpected(expected(), results({ backend: 'exact; tfjs wasm (tfjs-node: not installed (offline))' }));
  assert.equal(notes.skipped, null, 'notes in parentheses do not make another backend');
  assert.equal(backendKey('tfjs 4.22.0, backend wasm (tfjs-node-gpu: not installed; tfjs-node: alias (x))'), 'tfjs 4.22.0, backend wasm');
  const s = compareExpected(expected(), results({ seed: 2 }));
  assert.match(s.setup ?? '', /parameters\/seed .* --update-expected/);
});

test('updateExpected rewrites the values and keeps the hand-written rules; only the quick profile', () => {
  const root = mkdtempSync(join(tmpdir(), 'expected-'));
  mkdirSync(join(root, 'test', 'expected'), { recursive: true });
  const path = expectedPath('demo', root);
  writeFileSync(path, JSON.stringify({ ...expected(), note: 'hand note' }));
  const res = join(root, 'results.json');
  writeFileSync(res, JSON.stringify(results({ rate: 2 })));
  assert.equal(updateExpected(res, root), path);
  const f = JSON.parse(readFileSync(path, 'utf8')) as ExpectedFile;
  assert.equal(f.values['figures.fig1.rows[0].rate'], 2);
  assert.deepEqual(f.rules, rules);
  assert.equal(f.note, 'hand note');
  assert.throws(() => buildExpected({ ...results(), provenance: { ...results().provenance, profile: 'full' } }, null), RangeError);
  assert.throws(() => expectedPath('../x'), RangeError);
});
