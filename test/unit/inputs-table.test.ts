/**
 * Issue 18, finding 4: every exported function of every package.json entry point refuses bad input — NaN, ±∞, a
 * string for a number, a non-integer size, a negative or absurd size (1e12: refused with the limit stated), a missing
 * rng, mismatched shapes — with a RangeError/TypeError naming the argument, instead of returning a NaN or a silently
 * wrong value or running unbounded.
 *
 * The exports are read from the built entry modules (dist/lib/<entry>/index.js, the files package.json exports), so a
 * new export without a row in test/helpers/inputs/<entry>.ts fails here. Each entry's rows run in a child process
 * under a watchdog: a call that does not return within CALL_LIMIT_MS, or that kills the process, fails the test
 * instead of hanging or aborting it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../lib/core/index.js';
import type { EntryTable } from '../helpers/inputs/table.js';
import type { WorkerMessage } from '../helpers/inputs/worker.js';

const CALL_LIMIT_MS = 60_000;

const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { exports: Record<string,
  string> };
const entries = Object.entries(pkg.exports)
  .filter(([key, file]) => key.startsWith('./') && file.endsWith('/index.js'))
  .map(([key, file]) => ({ entry: key.slice(2), file }));

test('package.json exports the library entry points, core included', () => {
  assert.deepEqual(entries.map((e) => e.entry).sort(),
    ['channels', 'codecs', 'core', 'data', 'info', 'metrics', 'nn', 'plot', 'workbook']);
  for (const e of entries) assert.equal(e.file, `./dist/lib/${e.entry}/index.js`);
});

/** The rows' files go here (INPUTS_TABLE_TMP in the children), removed when the test ends. */
const scratch = mkdtempSync(join(tmpdir(), 'inputs-table-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let coveredFunctions = 0;
let listedFunctions = 0;

for (const { entry, file } of entries) {
  test(`${entry}: every export has a row in the bad-input table`, async () => {
    const mod = (await import(join(projectRoot(), file))) as Record<string, unknown>;
    const { table } = (await import(`../helpers/inputs/${entry}.js`)) as { table: EntryTable };
    const problems: string[] = [];
    for (const [name, value] of Object.entries(mod)) {
      const listed = [name in table.rows, name in table.noNumericInput,
        table.constants.includes(name)].filter(Boolean).length;
      if (listed === 0) {
        problems.push(typeof value === 'function'
          ? `${name}: add a row to test/helpers/inputs/${entry}.ts (or list it in noNumericInput with the reason)`
          : `${name}: a non-function export: list it in constants`);
      } else if (listed > 1) {
        problems.push(`${name}: listed more than once`);
      } else if (typeof value === 'function' && table.constants.includes(name)) {
        problems.push(`${name}: a function listed as a constant`);
      } else if (typeof value !== 'function' && !table.constants.includes(name)) {
        problems.push(`${name}: not a function, list it in constants`);
      }
    }
    listedFunctions += Object.keys(table.noNumericInput).length;
    for (const name of [...Object.keys(table.rows), ...Object.keys(table.noNumericInput), ...table.constants]) {
      if (!(name in mod)) problems.push(`${name}: in the table but not exported by ${entry}`);
    }
    assert.deepEqual(problems, []);
  });

  test(`${entry}: bad inputs are refused with a RangeError/TypeError naming the argument`, async (t) => {
    const failures: string[] = [];
    let done: WorkerMessage | undefined;
    const child = fork(fileURLToPath(new URL('../helpers/inputs/worker.js', import.meta.url)), [entry], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, INPUTS_TABLE_TMP: scratch },
    });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString('utf8')).slice(-2000); });
    await new Promise<void>((resolve) => {
      let current = 'loading the entry point';
      let since = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - since > CALL_LIMIT_MS) {
          failures.push(`${current}: still running after ${CALL_LIMIT_MS / 1000} s (unbounded?)`);
          child.kill('SIGKILL');
        }
      }, 250);
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'start') {
          current = m.label ?? '';
          since = Date.now();
        } else if (m.type === 'fail') {
          failures.push(`${m.label}: ${m.message}`);
        } else {
          done = m;
          child.kill('SIGKILL'); // tfjs and the model loaders keep handles open: the child would not exit by itself
        }
      });
      child.on('exit', (code, signal) => {
        clearInterval(watchdog);
        if (!done) failures.push(`${current}: the process died (${signal ?? `exit ${code}`}): ${stderr.trim()}`);
        resolve();
      });
    });
    assert.ok(done, `the worker did not finish: ${failures.join('\n')}`);
    t.diagnostic(`${entry}: ${done.functions} functions, ${done.calls} bad calls`);
    coveredFunctions += done.functions ?? 0;
    assert.equal(failures.length, 0, `${failures.length} bad call(s) not refused properly:\n${failures.join('\n')}`);
  });
}

test('count of exported functions covered', (t) => {
  t.diagnostic(`${coveredFunctions} exported functions/classes called with bad inputs; `
    + `${listedFunctions} take no numeric input (listed with the reason)`);
  assert.ok(coveredFunctions > 0);
});
