/**
 * What the README states about the project, checked against the files it describes: the licence (LICENSE ↔
 * package.json), the Node version (engines), per-paper reproduction (scripts/reproduce.sh passes the paper names on
 * to `workbook run`), the override that leaves @tensorflow/tfjs-node installable, and the four papers' citations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';

const root = projectRoot();
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as { license: string; engines: { node: string }; overrides: Record<string, unknown> };
const readme = read('README.md');

test('LICENSE is the MIT licence package.json names', () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(read('LICENSE'), /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(read('LICENSE'), /Permission is hereby granted, free of charge/);
});

test('README: Node version as in engines; per-paper reproduction that reproduce.sh supports', () => {
  assert.equal(pkg.engines.node, '>=20.19');
  assert.match(readme, /Node\.js ≥ 20\.19/);
  assert.match(readme, /bash scripts\/reproduce\.sh zepe/);
  assert.match(read('scripts/reproduce.sh'), /workbook\.js run --profile full [^\n]*"\$@"/, 'reproduce.sh passes its arguments (paper names) to workbook run');
});

test('the tfjs-node alias is scoped to danfojs-node, so a direct install of the native package is not an EOVERRIDE', () => {
  assert.equal(pkg.overrides['@tensorflow/tfjs-node'], undefined, 'no global override of @tensorflow/tfjs-node');
  assert.deepEqual(pkg.overrides['danfojs-node'], { '@tensorflow/tfjs-node': 'npm:@tensorflow/tfjs@4.22.0' });
  assert.match(readme, /npm install --no-save @tensorflow\/tfjs-node@4\.22\.0/);
});

test('README cites the four papers as docs/papers/*.md do', () => {
  for (const [paper, id] of [['vscc', 'arXiv:2410.08222'], ['e2ec', 'arXiv:2511.07826'], ['codebook', 'arXiv:2510.07108'], ['zepe', 'Zero Perception Error']] as const) {
    assert.ok(read(`docs/papers/${paper}.md`).includes(id), `${paper}'s notes hold ${id}`);
    assert.ok(readme.includes(id), `README cites ${paper} (${id})`);
  }
});
