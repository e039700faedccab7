/**
 * All-or-nothing outputs and the output lock under `workbook run` (issue 18, finding 6). Before, a run wrote straight
 * into `<figures>/<paper>/`: a failed, killed or overlapping run left a folder mixing two runs' files under one
 * results.json, and nothing stopped a second run. The reference for "unchanged" is the bytes of the previous run's
 * folder, read before the interrupted run started. Fixture: test/fixtures/staged.ipynb (writes a table and a value
 * labelled `label`, then may sleep or fail), with its output folder moved to a temporary root by `--param outDir=`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { descendantPids } from '../../lib/workbook/runner.js';
import { findJupyterPython } from '../../lib/workbook/toolchain.js';
import { running } from '../helpers/proc.js';

const root = projectRoot();
const cli = join(root, 'bin', 'workbook.js');
const fixture = join(root, 'test', 'fixtures', 'staged.ipynb');
const skip = findJupyterPython() ? false : 'Jupyter not installed';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function args(out: string, params: Record<string, string | number | boolean>): string[] {
  const ps = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
  return ['run', fixture, '--param', `outDir=${out}`, ...ps, '--out', join(out, 'nb'), '--quiet'];
}

function workbook(out: string, params: Record<string, string | number | boolean>) {
  const r = spawnSync(process.execPath, [cli, ...args(out, params)], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every file of the output folder with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'latin1');
  return out;
}

const leftovers = (out: string) => readdirSync(out).filter((f) => f.startsWith('.staged.'));

/** Starts a sleeping run and resolves once its kernel has written into the staging folder. */
async function startSleeper(out: string, label: string) {
  const child = spawn(process.execPath, [cli, ...args(out, { label, sleepSeconds: 60 })], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (b: Buffer) => { log += b.toString(); });
  child.stderr?.on('data', (b: Buffer) => { log += b.toString(); });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const staging = join(out, `.staged.staging-${child.pid}`);
  for (let i = 0; i < 480 && !existsSync(join(staging, 'results.json')); i++) await sleep(250);
  assert.ok(existsSync(join(staging, 'results.json')), `the kernel wrote into ${staging}: ${log}`);
  return { child, exited, staging, log: () => log };
}

test('workbook run replaces the output folder only when the run succeeds; a lock stops a second run', { skip, timeout: 600_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'workbook-staging-'));
  const final = join(out, 'staged');

  const first = workbook(out, { label: 'first' });
  assert.equal(first.code, 0, first.out);
  const before = snapshot(final);
  assert.deepEqual(Object.keys(before), ['labels.csv', 'labels.md', 'results.json']);
  const results = JSON.parse(before['results.json']);
  assert.equal(results.values.label, 'first');
  assert.deepEqual(results.tables.labels.files, ['staged/labels.csv', 'staged/labels.md'], 'final paths, not the staging folder');
  assert.deepEqual(leftovers(out), [], 'no staging folder or lock left after a successful run');

  // A failing cell after the kernel wrote its table: the previous output stays, the staging folder goes.
  const failed = workbook(out, { label: 'failed', fail: true });
  assert.equal(failed.code, 1, failed.out);
  assert.match(failed.out, /deliberate failure after writing failed/);
  assert.deepEqual(snapshot(final), before, 'a failed run leaves the previous output byte for byte');
  assert.deepEqual(leftovers(out), []);

  // kill -9 of the runner mid-run: the previous output stays; the staging folder keeps its clear name until the next run.
  const killed = await startSleeper(out, 'killed');
  const tree = descendantPids(killed.child.pid as number);
  killed.child.kill('SIGKILL');
  await killed.exited;
  const t0 = Date.now();
  while (Date.now() - t0 < 15_000 && tree.some(running)) await sleep(200); // the watchdog takes the kernel down
  assert.deepEqual(snapshot(final), before, 'a killed run leaves the previous output byte for byte');
  assert.deepEqual(leftovers(out).sort(), ['.staged.lock', `.staged.staging-${killed.child.pid}`]);

  // The next run takes the stale lock over (saying so), removes the leftovers and replaces the folder.
  const next = workbook(out, { label: 'next' });
  assert.equal(next.code, 0, next.out);
  assert.match(next.out, new RegExp(`taking over the lock of pid ${killed.child.pid}\\b.*no longer running`));
  assert.equal(JSON.parse(readFileSync(join(final, 'results.json'), 'utf8')).values.label, 'next');
  assert.deepEqual(leftovers(out), []);
  const afterNext = snapshot(final);

  // Two overlapping runs: the second fails at once, naming the first one's pid; SIGTERM of the first keeps the output.
  const holder = await startSleeper(out, 'overlap');
  const second = workbook(out, { label: 'second' });
  if (second.code !== 1) holder.child.kill('SIGKILL');
  assert.equal(second.code, 1, second.out);
  assert.match(second.out, new RegExp(`${final.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is being written by another run: pid ${holder.child.pid}\\b`));
  assert.doesNotMatch(second.out, /cell \d|staged wrote/, 'the second run started no kernel');
  holder.child.kill('SIGTERM');
  assert.equal(await holder.exited, 1, holder.log());
  assert.deepEqual(snapshot(final), afterNext, 'an interrupted run leaves the previous output byte for byte');
  assert.deepEqual(leftovers(out), [], 'SIGTERM: the runner removed its staging folder and lock');

  // Same seed and parameters twice: identical results.json (but for the clock), wherever the staging folder was.
  const again = workbook(out, { label: 'next' });
  assert.equal(again.code, 0, again.out);
  const strip = (text: string) => {
    const r = JSON.parse(text);
    delete r.provenance.startedAt;
    delete r.provenance.wallSeconds;
    return r;
  };
  assert.deepEqual(strip(readFileSync(join(final, 'results.json'), 'utf8')), strip(afterNext['results.json']));
  assert.equal(readFileSync(join(final, 'labels.csv'), 'latin1'), afterNext['labels.csv']);
});
