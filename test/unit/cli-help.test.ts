/**
 * `workbook <command> --help` works for every command the usage text names: exit 0, that command's usage on
 * stdout, and nothing run (the commands are read from `workbook --help`, so a command added later is covered).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { commandHelp } from '../../lib/workbook/help.js';

const bin = join(projectRoot(), 'bin', 'workbook.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

test('every command answers --help and -h with its own usage, exit 0', () => {
  const top = cli('--help');
  assert.equal(top.status, 0, top.stderr);
  const commands = [...new Set([...top.stdout.matchAll(/^\s+workbook ([a-z][a-z-]*)/gm)].map((m) => m[1]))];
  assert.ok(commands.length >= 6 && commands.includes('run') && commands.includes('export'), `commands: ${commands}`);
  for (const c of commands) {
    for (const flag of ['--help', '-h']) {
      const r = cli(c, flag);
      assert.equal(r.status, 0, `workbook ${c} ${flag}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage:\\n\\s+workbook ${c}(\\s|$)`), `workbook ${c} ${flag} prints its usage`);
      assert.equal(r.stderr, '', `workbook ${c} ${flag} runs nothing`);
    }
  }
  const bad = cli('no-such-command', '--help');
  assert.equal(bad.status, 2, 'an unknown command is still a usage error');
});

test('commandHelp cuts one command\'s lines (with continuation lines) out of a usage text', () => {
  const usage = 'usage:\n  workbook a [--x]\n               [--y]\n  workbook ab [--z]\na --x does x.\nother text';
  assert.equal(commandHelp(usage, 'a'), 'usage:\n  workbook a [--x]\n               [--y]\n\na --x does x.');
  assert.equal(commandHelp(usage, 'ab'), 'usage:\n  workbook ab [--z]');
  assert.equal(commandHelp(usage, 'c'), null);
  assert.equal(commandHelp(usage, '.*'), null);
});
