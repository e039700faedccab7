/**
 * The runner owns its children (issue 18, finding 2): `kill -9` of `workbook run` used to orphan nbconvert and the
 * tslab kernel (started detached, in process groups of their own), which kept computing and writing. Now the
 * watchdog in workbook_execute.py kills the kernel's process group and exits once the runner is gone. Processes are
 * found through /proc (no pgrep/procps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { descendantPids } from '../../lib/workbook/runner.js';
import { findJupyterPython } from '../../lib/workbook/toolchain.js';
import { running } from '../helpers/proc.js';

const root = projectRoot();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cmdline = (pid: number): string => {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(); } catch { return ''; }
};

const skip = !existsSync('/proc/self/stat') ? 'needs /proc' : !findJupyterPython() ? 'Jupyter not installed' : false;

test('kill -9 of the runner: nbconvert, the kernel and its children exit within seconds', { skip, timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'workbook-orphans-'));
  const runner = spawn(process.execPath, [join(root, 'bin', 'workbook.js'), 'run', join(root, 'test', 'fixtures', 'slow.ipynb'), '--out', out, '--quiet'], {
    cwd: root, stdio: 'ignore',
  });
  const exited = new Promise<void>((res) => runner.once('exit', () => res()));
  let tree: { pid: number; cmd: string }[] = [];
  for (let i = 0; i < 240 && !tree.some((p) => p.cmd.includes('tslab kernel')); i++) {
    await sleep(250);
    tree = descendantPids(runner.pid as number).map((pid) => ({ pid, cmd: cmdline(pid) }));
  }
  assert.ok(tree.some((p) => p.cmd.includes('-m nbconvert')), `nbconvert started: ${JSON.stringify(tree)}`);
  assert.ok(tree.some((p) => p.cmd.includes('tslab kernel')), `the kernel started: ${JSON.stringify(tree)}`);
  await sleep(1500); // the kernel is now running the 60 s cell
  tree = descendantPids(runner.pid as number).map((pid) => ({ pid, cmd: cmdline(pid) }));

  runner.kill('SIGKILL');
  await exited;
  const t0 = Date.now();
  while (Date.now() - t0 < 10_000 && tree.some((p) => running(p.pid))) await sleep(200);
  assert.deepEqual(tree.filter((p) => running(p.pid)).map((p) => p.cmd), [], 'no process of the run survives 10 s after kill -9');
  assert.ok(!existsSync(join(out, 'slow.ipynb')), 'nothing was written after the kill');
});
