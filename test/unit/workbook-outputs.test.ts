/**
 * All-or-nothing output folders and their lock (lib/workbook/outputs.ts), and a paper run as a notebook opened
 * interactively does it (startRun → finish in the kernel's own process, no runner): issue 18, finding 6. The
 * reference for "unchanged" is the folder's bytes read before; lock holders are real processes (this one, a child
 * that holds a lock, a child that has exited).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  beginOutput, holderAlive, lockFileFor, OutputLockedError, processStartTicks, readLock, stagingDirFor,
} from '../../lib/workbook/outputs.js';
import { startRun } from '../../lib/workbook/session.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'workbook-outputs-'));
const outputsModule = fileURLToPath(new URL('../../lib/workbook/outputs.js', import.meta.url));
const sessionModule = fileURLToPath(new URL('../../lib/workbook/session.js', import.meta.url));

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'latin1');
  return out;
}

function seed(root: string, paper: string): Record<string, string> {
  mkdirSync(join(root, paper), { recursive: true });
  writeFileSync(join(root, paper, 'results.json'), '{"old": true}\n');
  writeFileSync(join(root, paper, 'fig.csv'), 'x\n1\n');
  return snapshot(join(root, paper));
}

/** A pid that has exited (a finished child). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('beginOutput: writes go to the staging folder; commit replaces the folder, abort keeps the old one', () => {
  const root = tmp();
  const old = seed(root, 'p');
  const a = beginOutput(root, 'p', { notify: () => {} });
  assert.equal(a.staging, stagingDirFor(root, 'p', process.pid));
  assert.equal(readLock(root, 'p')?.pid, process.pid);
  writeFileSync(join(a.staging, 'results.json'), '{"new": 1}\n');
  a.abort();
  assert.deepEqual(snapshot(join(root, 'p')), old, 'abort: the old output, byte for byte');
  assert.deepEqual(readdirSync(root), ['p'], 'abort removes the staging folder and the lock');

  const b = beginOutput(root, 'p', { notify: () => {} });
  writeFileSync(join(b.staging, 'results.json'), '{"new": 2}\n');
  assert.deepEqual(snapshot(join(root, 'p')), old, 'nothing changes before commit');
  b.commit();
  assert.deepEqual(snapshot(join(root, 'p')), { 'results.json': '{"new": 2}\n' }, 'commit: exactly the new run, no file of the old one');
  assert.deepEqual(readdirSync(root), ['p']);
  b.abort(); // after commit: only unlocks (already done), changes nothing
  assert.deepEqual(snapshot(join(root, 'p')), { 'results.json': '{"new": 2}\n' });

  const empty = beginOutput(root, 'p', { notify: () => {} });
  empty.commit();
  assert.deepEqual(snapshot(join(root, 'p')), { 'results.json': '{"new": 2}\n' }, 'a run that wrote nothing keeps the output');
  assert.throws(() => beginOutput(root, '../x'), RangeError);
});

test('beginOutput: a live holder stops a second run, naming its pid; a dead or reused pid is taken over with a notice', async () => {
  const root = tmp();
  const old = seed(root, 'p');
  const script = `import { beginOutput } from ${JSON.stringify(outputsModule)};
    const t = beginOutput(${JSON.stringify(root)}, 'p', { notify: () => {} });
    console.log('locked'); setTimeout(() => { t.abort(); }, 60000);`;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((res) => holder.stdout?.on('data', (b: Buffer) => { if (b.toString().includes('locked')) res(); }));
    assert.throws(() => beginOutput(root, 'p', { notify: () => {} }), (e: Error) => e instanceof OutputLockedError
      && e.message.includes(`${join(root, 'p')} is being written by another run: pid ${holder.pid} `) && e.message.includes(lockFileFor(root, 'p')));
    assert.deepEqual(snapshot(join(root, 'p')), old);
  } finally {
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
  }
  // Its holder is gone: taken over, with a notice naming it; the dead run's staging folder is removed.
  assert.equal(readLock(root, 'p')?.pid, holder.pid);
  assert.ok(existsSync(stagingDirFor(root, 'p', holder.pid as number)));
  const notices: string[] = [];
  const t = beginOutput(root, 'p', { notify: (m) => notices.push(m) });
  assert.ok(notices.some((m) => m.includes(`taking over the lock of pid ${holder.pid} `)), JSON.stringify(notices));
  assert.ok(!existsSync(stagingDirFor(root, 'p', holder.pid as number)), 'the dead run\'s staging folder is removed');
  t.abort();

  // A pid that is alive but belongs to a process started later (pid reuse) does not hold the lock.
  const ticks = processStartTicks(process.pid);
  if (ticks !== null) {
    assert.equal(holderAlive({ pid: process.pid, startTicks: ticks }), true);
    assert.equal(holderAlive({ pid: process.pid, startTicks: ticks - 1 }), false);
    writeFileSync(lockFileFor(root, 'p'), JSON.stringify({ pid: process.ppid, startTicks: (processStartTicks(process.ppid) ?? 0) + 1, since: 'x', command: 'old', staging: '' }));
    const reused: string[] = [];
    beginOutput(root, 'p', { notify: (m) => reused.push(m) }).abort();
    assert.ok(reused.some((m) => m.includes(`taking over the lock of pid ${process.ppid} `)), JSON.stringify(reused));
  }
  const gone = deadPid();
  assert.equal(holderAlive({ pid: gone, startTicks: null }), false);
  writeFileSync(lockFileFor(root, 'p'), 'garbage');
  const unreadable: string[] = [];
  beginOutput(root, 'p', { notify: (m) => unreadable.push(m) }).abort();
  assert.ok(unreadable.some((m) => /taking over the lock .*unreadable lock file/.test(m)), JSON.stringify(unreadable));
  assert.deepEqual(snapshot(join(root, 'p')), old);
});

test('beginOutput: a replacement interrupted between its two renames is put right by the next run', () => {
  const root = tmp();
  const old = seed(root, 'p');
  // State after `rename(p → .p.old-N)` and before `rename(staging → p)`: no output folder, the old one aside.
  const pid = deadPid();
  renameSync(join(root, 'p'), join(root, `.p.old-${pid}`));
  mkdirSync(stagingDirFor(root, 'p', pid));
  writeFileSync(join(stagingDirFor(root, 'p', pid), 'results.json'), '{"half": true}\n');
  const notices: string[] = [];
  const t = beginOutput(root, 'p', { notify: (m) => notices.push(m) });
  assert.deepEqual(snapshot(join(root, 'p')), old, 'the previous output is back');
  assert.ok(notices.some((m) => /restored the previous output/.test(m)), JSON.stringify(notices));
  t.abort();
  assert.deepEqual(readdirSync(root), ['p']);
});

test('startRun in a kernel of its own (interactive): finish() replaces the folder, nothing before; then no more writes', async () => {
  assert.equal(process.env.WORKBOOK_RUNNER_PID, undefined);
  const root = tmp();
  const old = seed(root, 'interactive-p');
  const run = startRun({ paper: 'interactive-p', profile: 'interactive', outDir: root, seed: 3 });
  await run.table('t', [{ a: 1 }]);
  run.record('v', 42);
  assert.deepEqual(snapshot(join(root, 'interactive-p')), old, 'the old output until finish()');
  assert.equal(run.resultsPath, join(root, 'interactive-p', 'results.json'));
  assert.ok(existsSync(join(run.stagingDir, 'results.json')));

  // The first cell run again in the same kernel: a new run supersedes the old object and starts from scratch.
  const again = startRun({ paper: 'interactive-p', profile: 'interactive', outDir: root, seed: 3 });
  assert.throws(() => run.record('v', 1), /replaced by a newer startRun/);
  await again.table('t', [{ a: 2 }]);
  again.record('v', 43);
  const res = again.finish();
  assert.deepEqual(Object.keys(snapshot(join(root, 'interactive-p'))), ['results.json', 't.csv', 't.md']);
  const saved = JSON.parse(readFileSync(again.resultsPath, 'utf8'));
  assert.equal(saved.values.v, 43);
  assert.deepEqual(saved.tables.t.files, ['interactive-p/t.csv', 'interactive-p/t.md']);
  assert.equal(res.values.v, 43);
  assert.throws(() => again.record('w', 1), /has finished/);
  assert.deepEqual(readdirSync(root), ['interactive-p'], 'no staging folder, no lock');
});

test('a kernel that exits without finish() leaves the previous output and no lock; a live one blocks a second kernel', async () => {
  const root = tmp();
  const old = seed(root, 'k');
  const body = `import { startRun } from ${JSON.stringify(sessionModule)};
    const run = startRun({ paper: 'k', profile: 'interactive', outDir: ${JSON.stringify(root)} });
    await run.table('t', [{ a: 1 }]);`;
  const quit = spawnSync(process.execPath, ['--input-type=module', '-e', `${body} process.exit(0);`], { encoding: 'utf8' });
  assert.equal(quit.status, 0, quit.stderr);
  assert.deepEqual(snapshot(join(root, 'k')), old);
  assert.deepEqual(readdirSync(root), ['k'], 'staging folder and lock removed at exit');

  const live = spawn(process.execPath, ['--input-type=module', '-e', `${body} console.log('open'); setTimeout(() => {}, 60000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((res) => live.stdout?.on('data', (b: Buffer) => { if (b.toString().includes('open')) res(); }));
    assert.throws(() => startRun({ paper: 'k', profile: 'interactive', outDir: root }), new RegExp(`being written by another run: pid ${live.pid}\\b`));
  } finally {
    live.kill('SIGKILL');
    await new Promise((r) => live.once('exit', r));
  }
  assert.deepEqual(snapshot(join(root, 'k')), old, 'a killed kernel leaves the previous output');
});
