/**
 * The README's claims-status table is generated from figures/<paper>/results.json (lib/workbook/status.ts): the committed
 * README must equal what the generator writes, and the tally counts each verdict of hand-made results files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import type { Estimate } from '../../lib/metrics/index.js';
import {
  differencePart, identityCheck, identityPart, paperClaim, paperStatus, readStatusBlock, replaceStatusBlock, statusMarkdown, STATUS_PAPERS, valuePart,
} from '../../lib/workbook/index.js';

const est = (value: number, lo: number, hi: number): Estimate => ({ value, ci95: [lo, hi], n: 10, method: 'test' });

test("README's status table equals the one generated from figures/*/results.json", () => {
  const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
  const table = statusMarkdown(STATUS_PAPERS.map((p) => paperStatus(p)));
  assert.equal(readStatusBlock(readme), table.trim(), 'run `npx workbook status --write` and commit README.md');
});

test('paperStatus counts verdicts by kind; old-format claims are not counted', () => {
  const root = mkdtempSync(join(tmpdir(), 'status-'));
  const claims = [
    paperClaim({ id: 'a', source: 's', statement: 's', unit: '', parts: [valuePart({ label: 'x', paper: 1, ours: est(1, 0.9, 1.1) })], method: 'm', n: 10 }),
    paperClaim({ id: 'b', source: 's', statement: 's', unit: '', parts: [differencePart({ label: 'x', diff: est(0.1, -0.1, 0.3), direction: 'greater' })], method: 'm', n: 10 }),
    paperClaim({ id: 'c', source: 's', statement: 's', unit: '', parts: [valuePart({ label: 'x', paper: 1, ours: est(2, 1.9, 2.1), reference: 0 })], method: 'm', n: 10 }),
    identityCheck({ id: 'd', source: 's', statement: 's', unit: '', parts: [identityPart({ label: 'x', expected: 0, got: 0, tolerance: 0 })], method: 'm', n: 1 }),
  ];
  mkdirSync(join(root, 'p'));
  writeFileSync(join(root, 'p', 'results.json'), JSON.stringify({ provenance: { commit: 'abcdef0123', dirty: false, profile: 'full' }, claims }));
  const s = paperStatus('p', root);
  assert.deepEqual(
    { computed: s.computed, claims: s.claims, r: s.reproduced, p: s.partly, n: s.notReproduced, ip: s.identityPassed, it: s.identityTotal },
    { computed: true, claims: 3, r: 1, p: 1, n: 1, ip: 1, it: 1 },
  );
  assert.match(statusMarkdown([s]), /\| p \| 3 \| 1 \| 1 \| 1 \| 1\/1 \| full profile at `abcdef0` \|/);
  mkdirSync(join(root, 'old'));
  writeFileSync(join(root, 'old', 'results.json'), JSON.stringify({ provenance: { commit: 'abcdef0123', dirty: true, profile: 'full' }, claims: [{ id: 'x', holds: true }] }));
  const o = paperStatus('old', root);
  assert.equal(o.computed, false);
  assert.match(statusMarkdown([o]), /not yet computed/);
  assert.equal(paperStatus('missing', root).computed, false);
  writeFileSync(join(root, 'p', 'results.json'), '{ truncated');
  assert.throws(() => paperStatus('p', root), /results\.json is not valid JSON/);
});

test('replaceStatusBlock needs both markers', () => {
  assert.throws(() => replaceStatusBlock('no markers', 't'), /markers/);
  assert.equal(replaceStatusBlock('a<!-- status:begin -->old<!-- status:end -->b', 'T'), 'a<!-- status:begin -->\nT\n<!-- status:end -->b');
});
