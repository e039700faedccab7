/**
 * Backend selection (lib/nn/backend.ts) with the native package present or aliased: packages placed in a temporary
 * node_modules and resolved from there (initBackend's `resolveFrom`). The "native" stub registers a 'tensorflow'
 * backend on the project's own tfjs engine, as @tensorflow/tfjs-node does; the alias stub is what package.json's
 * override installs under danfojs-node (a copy of plain tfjs, registering nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackend, initBackend } from '../../lib/nn/index.js';

const require = createRequire(import.meta.url);
const tfjsPath = require.resolve('@tensorflow/tfjs');
const cpuPath = createRequire(tfjsPath).resolve('@tensorflow/tfjs-backend-cpu');

function fakeProject(manifest: Record<string, unknown>, index: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-node-stub-'));
  const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ main: 'index.js', ...manifest }));
  writeFileSync(join(pkg, 'index.js'), index);
  return join(dir, 'app.js');
}

test('an aliased @tensorflow/tfjs-node (the offline install) is named and skipped: wasm is used', async () => {
  const from = fakeProject({ name: '@tensorflow/tfjs', version: '4.22.0' }, `module.exports = require(${JSON.stringify(tfjsPath)});`);
  const choice = await initBackend(undefined, { resolveFrom: from });
  assert.equal(choice.name, 'wasm');
  const node = choice.tried.find((t) => t.name === '@tensorflow/tfjs-node');
  assert.equal(node?.ok, false);
  assert.match(node?.reason ?? '', /^alias of @tensorflow\/tfjs@4\.22\.0 without native binding$/);
  assert.equal(choice.tried.find((t) => t.name === '@tensorflow/tfjs-node-gpu')?.reason, 'not installed');
});

test('a native @tensorflow/tfjs-node that registers "tensorflow" on our engine is picked first', async () => {
  const index = [
    `const tf = require(${JSON.stringify(tfjsPath)});`,
    `const { MathBackendCPU } = require(${JSON.stringify(cpuPath)});`,
    `tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);`,
    'module.exports = tf;',
  ].join('\n');
  const from = fakeProject({ name: '@tensorflow/tfjs-node', version: '4.22.0' }, index);
  const choice = await initBackend(undefined, { resolveFrom: from });
  assert.equal(choice.name, 'tensorflow');
  assert.deepEqual(choice.tried.map((t) => [t.name, t.ok]), [['@tensorflow/tfjs-node-gpu', false], ['@tensorflow/tfjs-node', true], ['tensorflow', true]]);
  assert.equal(choice.tried[1].reason, 'native binding 4.22.0');
  assert.match(describeBackend(), /backend tensorflow/);
});
