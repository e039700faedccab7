import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import {
  clearOutputs, declaredParameters, hasOutputs, injectParameters, packageVersions, parseParam, validateParameters, type Notebook,
} from '../../lib/workbook/index.js';
import { notebookCellTimeout } from '../../lib/workbook/runner.js';

function nb(): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# t' },
      { cell_type: 'code', metadata: { tags: ['parameters'] }, source: "const steps = 100;\nconst name = 'a'; // comment\nlet fast: boolean = false;\n", outputs: [], execution_count: null },
      { cell_type: 'code', metadata: {}, source: 'console.log(steps);', outputs: [{ output_type: 'stream', name: 'stdout', text: '100' }], execution_count: 3 },
    ],
  };
}

test('parseParam: JSON values, strings, and malformed input', () => {
  assert.deepEqual(parseParam('steps=5'), ['steps', 5]);
  assert.deepEqual(parseParam('fast=true'), ['fast', true]);
  assert.deepEqual(parseParam('snr=[-5,5,15]'), ['snr', [-5, 5, 15]]);
  assert.deepEqual(parseParam('name=hello world'), ['name', 'hello world']);
  assert.deepEqual(parseParam('expr=a=b'), ['expr', 'a=b']);
  assert.throws(() => parseParam('steps'), /key=value/);
  assert.throws(() => parseParam('=5'), /key=value/);
  assert.throws(() => parseParam('1x=5'), /identifier/);
});

test('declaredParameters reads the parameters cell', () => {
  const { index, names } = declaredParameters(nb());
  assert.equal(index, 1);
  assert.deepEqual([...names.keys()], ['steps', 'name', 'fast']);
  assert.equal(names.get('steps'), '100');
});

test('validateParameters names unknown parameters and wrong kinds', () => {
  validateParameters('t', nb(), { steps: 5, name: 'b', fast: true });
  assert.throws(() => validateParameters('t', nb(), { stpes: 5 }), /unknown parameter "stpes" for t; its parameters are: steps, name, fast/);
  assert.throws(() => validateParameters('t', nb(), { steps: 'many' }), /"steps" of t must be a number/);
  assert.throws(() => validateParameters('t', nb(), { fast: 1 }), /must be a boolean/);
  const bare = nb();
  bare.cells[1].metadata = {};
  assert.throws(() => validateParameters('t', bare, { steps: 1 }), /no cell tagged "parameters"/);
});

test('injectParameters inserts one tagged cell after the parameters cell and records values', () => {
  const once = injectParameters(nb(), { steps: 7 }, 'quick');
  const twice = injectParameters(once, { steps: 9, name: 'x"y' }, 'full');
  assert.equal(twice.cells.length, 4);
  const cell = twice.cells[2];
  assert.deepEqual(cell.metadata.tags, ['injected-parameters']);
  const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
  assert.match(src, /const steps: number = 9;/);
  assert.match(src, /const name: string = "x\\"y";/);
  assert.deepEqual(twice.metadata.workbook?.parameters, { steps: 9, name: 'x"y' });
  assert.equal(twice.metadata.workbook?.profile, 'full');
  assert.equal(nb().cells.length, 3, 'input is not mutated');
});

test('clearOutputs / hasOutputs', () => {
  assert.equal(hasOutputs(nb()), true);
  const clean = clearOutputs(nb());
  assert.equal(hasOutputs(clean), false);
  assert.equal(clean.cells[2].execution_count, null);
});

test('provenance records the installed version of every tracked package, also those whose exports hide package.json', () => {
  const lock = JSON.parse(readFileSync(join(projectRoot(), 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const got = packageVersions();
  for (const name of ['vega', 'vega-lite', 'execa', 'tslab', '@tensorflow/tfjs']) {
    assert.equal(got[name], lock.packages[`node_modules/${name}`]?.version, name);
  }
});

test('per-cell limit: the notebook\'s metadata.workbook.cellTimeout, else 1800 s; a bad value names the field', () => {
  const n = nb();
  assert.equal(notebookCellTimeout(n, 't'), 1800);
  n.metadata.workbook = { cellTimeout: 3600 };
  assert.equal(notebookCellTimeout(n, 't'), 3600);
  n.metadata.workbook = { cellTimeout: -5 };
  assert.throws(() => notebookCellTimeout(n, 't'), (e: Error) => e instanceof RangeError && /cellTimeout/.test(e.message));
});
