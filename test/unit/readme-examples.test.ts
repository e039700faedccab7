/** The README's code examples run as tests: each ```ts block is executed as a module inside the package
 *  (so `semcom-workbook/...` resolves through package.json `exports`) and must exit cleanly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';

const root = projectRoot();
const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has code examples', () => assert.ok(blocks.length > 0));

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    const dir = join(root, 'build', 'readme-examples');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `example-${i + 1}.mjs`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, 'it prints something');
  });
});
