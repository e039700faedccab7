/**
 * CLI behaviour from issue 18, finding 8: parameters are validated against every named notebook before any runs;
 * an unknown notebook is a bad argument (exit 2, as the README says); the whole-notebook limit is reported as the
 * limit given with --timeout; `doctor` fails when a notebook's data is missing or corrupt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { findJupyterPython } from '../../lib/workbook/toolchain.js';

const root = projectRoot();
const cli = join(root, 'bin', 'workbook.js');
const fixture = (n: string) => join(root, 'test', 'fixtures', `${n}.ipynb`);
const work = mkdtempSync(join(tmpdir(), 'workbook-cli-'));
const noJupyter = findJupyterPython() ? false : 'Jupyter not installed';

function workbook(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('run a b --param: checked against every notebook before the first one runs', () => {
  const out = join(work, 'params');
  // smoke declares `points`, slow does not: nothing may run.
  const r = workbook(['run', fixture('smoke'), fixture('slow'), '--param', 'points=7', '--out', out, '--quiet']);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /unknown parameter "points" for slow/);
  assert.doesNotMatch(r.out, /▶ smoke/, 'smoke did not start');
  assert.ok(!existsSync(join(out, 'smoke.ipynb')), 'smoke was not run');
});

test('an unknown notebook is a bad argument: exit 2', () => {
  const r = workbook(['run', fixture('smoke'), 'no-such-notebook']);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /notebook "no-such-notebook" not found; available:/);
  assert.doesNotMatch(r.out, /▶ smoke/);
});

test('--timeout: the message names the limit that was given', { skip: noJupyter }, () => {
  const r = workbook(['run', fixture('slow'), '--timeout', '8', '--out', join(work, 'timeout'), '--quiet']);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /whole-notebook time limit of 8 s \(--timeout\)/);
  assert.doesNotMatch(r.out, /timed out while it was being executed, after \d+ seconds/, 'not the per-cell message with the seconds that were left');
});

test('doctor exits non-zero when the photo set is missing or corrupt', () => {
  const empty = mkdtempSync(join(tmpdir(), 'workbook-cache-'));
  const missing = workbook(['doctor'], { SEMCOM_CACHE: empty });
  assert.match(missing.out, /\[FAIL\] data: Photo set/);
  assert.equal(missing.code, 1, missing.out);
  const corrupt = mkdtempSync(join(tmpdir(), 'workbook-cache-'));
  mkdirSync(join(corrupt, 'photos'));
  writeFileSync(join(corrupt, 'photos', 'manifest.json'), '{"format": 1, "sets": {"32": {"train"');
  const bad = workbook(['doctor'], { SEMCOM_CACHE: corrupt });
  assert.match(bad.out, /\[FAIL\] data: Photo set/);
  assert.equal(bad.code, 1, bad.out);
});
