/**
 * Caches keyed by code as well as configuration (issue 18, finding 3). Before, a sweep result or a checkpoint was
 * found by its configuration alone, so after a change to a model or a loss a re-run silently served the old code's
 * result. Now: the code version is the hash of the trial module's compiled import graph (lib/nn/code-version.ts);
 * a dependency's bytes changing changes the key, unchanged code keeps it, entries of the older code are recomputed,
 * never used, and `workbook cache list` marks them stale. References: the trial's own output (the new code's result
 * must appear), Node's module loader (the files it actually loads for a real trial module), and the pre-change key
 * formula for runs without a code module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from '../../lib/core/index.js';
import {
  tf, codeVersion, configHash, forgetCodeVersions, importGraph, initDense, denseLayer, runSweep, train, type Params,
} from '../../lib/nn/index.js';
import { listCacheEntries, removeCacheEntries } from '../../lib/nn/cache-index.js';
import { cacheCommand } from '../../lib/workbook/cache-command.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** A trial package in a temporary folder: trial.js → dep.js → leaf.js (+ a dynamic and a worker-URL reference). */
function trialTree(factor: number): string {
  const dir = tmp('code-version-');
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  writeFileSync(join(dir, 'trial.js'), [
    "import { scale } from './dep.js';",
    "export { scale } from './dep.js';",
    "const worker = new URL('./worker.js', import.meta.url);",
    'export async function trial(c) { const lazy = await import(\'./lazy.js\'); return { y: scale(c.x) + lazy.offset, worker: worker.pathname.length > 0 }; }',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'dep.js'), "export * from './leaf.js';\nimport { FACTOR } from './leaf.js';\nexport const scale = (x) => x * FACTOR;\n");
  writeFileSync(join(dir, 'leaf.js'), `export const FACTOR = ${factor};\n`);
  writeFileSync(join(dir, 'lazy.js'), 'export const offset = 0;\n');
  writeFileSync(join(dir, 'worker.js'), '// forked by trial.js\n');
  writeFileSync(join(dir, 'unrelated.js'), 'export const x = 1;\n');
  return dir;
}

test('codeVersion: the import graph is followed transitively; only its bytes count; memoised per process', () => {
  const dir = trialTree(2);
  const trial = join(dir, 'trial.js');
  const v = codeVersion(trial);
  assert.deepEqual([...v.files].sort(), ['dep.js', 'lazy.js', 'leaf.js', 'trial.js', 'worker.js']);
  assert.match(v.version, /^[0-9a-f]{64}$/);
  assert.equal(codeVersion(pathToFileURL(trial)).version, v.version, 'a file: URL names the same module');

  // A copy elsewhere has the same version (content, not location); a file outside the graph changes nothing.
  const copy = tmp('code-version-copy-');
  cpSync(dir, copy, { recursive: true });
  writeFileSync(join(copy, 'unrelated.js'), 'export const x = 2;\n');
  assert.equal(codeVersion(join(copy, 'trial.js')).version, v.version);

  // A dependency two imports away changes: memoised until forgotten (the code a process runs is what it loaded).
  writeFileSync(join(copy, 'leaf.js'), 'export const FACTOR = 3;\n');
  assert.equal(codeVersion(join(copy, 'trial.js')).version, v.version, 'memoised');
  const fresh = codeVersion(join(copy, 'trial.js'), { fresh: true }).version;
  assert.notEqual(fresh, v.version, 'a changed leaf changes the version');
  forgetCodeVersions();
  assert.equal(codeVersion(join(copy, 'trial.js')).version, fresh);
  assert.throws(() => codeVersion(join(dir, 'missing.js')), /does not exist/);
  assert.throws(() => codeVersion(''), TypeError);
});

test('codeVersion of a real trial: every project module Node loads for it is in the graph, and the tfjs versions', () => {
  const trial = fileURLToPath(new URL('../../lib/papers/vscc/trial.js', import.meta.url));
  const graph = importGraph(trial);
  // Reference: the files Node's loader resolves when it imports the module (a resolve hook logs them).
  const dir = tmp('code-version-loader-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '-e', `import(${JSON.stringify(pathToFileURL(trial).href)})`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const distLib = fileURLToPath(new URL('../../lib/', import.meta.url));
  const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)))]
    .filter((f) => f.startsWith(distLib));
  assert.ok(loaded.length > 20, `Node loaded ${loaded.length} project modules`);
  assert.deepEqual(loaded.filter((f) => !graph.files.includes(f)), [], 'no module Node loads is missing from the graph');
  // The graph may hold more: modules named for later (a worker forked by URL), never loaded by the import itself.
  const extra = graph.files.filter((f) => !loaded.includes(f)).map((f) => relative(distLib, f));
  assert.deepEqual(extra, ['nn/sweep-worker.js']);
  const tfjs = JSON.parse(readFileSync(fileURLToPath(new URL('../../../node_modules/@tensorflow/tfjs/package.json', import.meta.url)), 'utf8')).version;
  const v = codeVersion(trial);
  assert.equal(v.packages['@tensorflow/tfjs'], tfjs);
  assert.equal(v.packages['@tensorflow/tfjs-backend-wasm'], tfjs);
});

test('runSweep: changed code gets a new key and is recomputed; unchanged code keeps the key; the old entry is listed stale', async () => {
  const dir = trialTree(2);
  const cache = tmp('code-version-cache-');
  const sweeps = join(cache, 'sweeps', 'demo');
  const configs = [{ x: 5 }];
  const run = () => runSweep<{ x: number }, { y: number }>({ module: join(dir, 'trial.js'), exportName: 'trial', configs, workers: 1, cacheDir: sweeps });

  const first = await run();
  assert.ok(first[0].ok && !first[0].cached && first[0].result.y === 10, JSON.stringify(first[0]));
  const again = await run();
  assert.ok(again[0].ok && again[0].cached, 'unchanged code: the cached result is used');
  assert.equal(again[0].hash, first[0].hash, 'unchanged code keeps the key');

  writeFileSync(join(dir, 'leaf.js'), 'export const FACTOR = 3;\n'); // the "model" changes, the config does not
  const changed = await run();
  assert.ok(changed[0].ok, JSON.stringify(changed[0]));
  assert.equal(changed[0].ok && changed[0].cached, false, 'changed code: recomputed, the old result is not used');
  assert.equal(changed[0].ok && changed[0].result.y, 15, 'the result is the new code\'s');
  assert.notEqual(changed[0].hash, first[0].hash);
  assert.deepEqual(readdirSync(sweeps).sort(), [`${first[0].hash}.json`, `${changed[0].hash}.json`].sort());

  const entries = listCacheEntries({ root: cache });
  const byFile = new Map(entries.map((e) => [e.path, e]));
  const old = byFile.get(join(sweeps, `${first[0].hash}.json`));
  const now = byFile.get(join(sweeps, `${changed[0].hash}.json`));
  assert.equal(old?.status, 'stale');
  assert.match(old?.reason ?? '', /written by other code/);
  assert.equal(now?.status, 'current');
  assert.equal(now?.kind, 'sweep');
  assert.equal(now?.paper, 'demo');
  assert.equal(now?.code, codeVersion(join(dir, 'trial.js'), { fresh: true }).version, 'the entry records the code version');
  assert.equal(now?.configHash, old?.configHash, 'same configuration, different code');

  // `workbook cache clear --stale` removes exactly the stale entry; the current one is used as before.
  const lines: string[] = [];
  const prev = process.env.SEMCOM_CACHE;
  process.env.SEMCOM_CACHE = cache;
  try {
    assert.equal(cacheCommand(['list'], (l) => lines.push(l)), 0);
    assert.match(lines.join('\n'), /2 entries, .*\(1 stale/);
    assert.match(lines.join('\n'), /demo\s+sweep .* stale: written by other code/);
    lines.length = 0;
    assert.equal(cacheCommand(['clear', '--stale'], (l) => lines.push(l)), 0);
  } finally {
    if (prev === undefined) delete process.env.SEMCOM_CACHE;
    else process.env.SEMCOM_CACHE = prev;
  }
  assert.match(lines.join('\n'), new RegExp(`removed demo sweep sweeps/demo/${first[0].hash}\\.json`));
  assert.deepEqual(readdirSync(sweeps), [`${changed[0].hash}.json`]);
  const last = await run();
  assert.ok(last[0].ok && last[0].cached && last[0].result.y === 15);
});

/** A small regression problem; batches and init come from the Rng. */
function problem(seed: number): { params: Params; rng: Rng; lossFn: (c: { step: number; rng: Rng }) => tf.Scalar } {
  const rng = new Rng(seed);
  const params: Params = {};
  initDense(params, 'l1', { inDim: 2, outDim: 3, rng });
  initDense(params, 'l2', { inDim: 3, outDim: 1, rng });
  const lossFn = ({ rng: r }: { step: number; rng: Rng }) => {
    const xs = Float32Array.from({ length: 8 }, () => r.normal());
    return tf.mean(tf.square(denseLayer(params, 'l2', tf.tanh(denseLayer(params, 'l1', tf.tensor2d(xs, [4, 2])))))) as tf.Scalar;
  };
  return { params, rng, lossFn };
}

test('train: a checkpoint of other code is not loaded (retrained, with a warning); same code is; listed as model/checkpoint', async () => {
  await tf.setBackend('cpu');
  const dir = trialTree(2);
  const codeModule = join(dir, 'trial.js');
  const cache = tmp('code-version-models-');
  const ckDir = join(cache, 'models', 'demo-net', 'run1');
  const config = { task: 'code-version' };
  forgetCodeVersions();
  const first = await train({ ...problem(1), steps: 4, config, checkpointDir: ckDir, codeModule });
  assert.equal(first.code, codeVersion(codeModule).version);
  // Without a code module the key is the configuration alone, exactly as before.
  const plain = await train({ ...problem(1), steps: 4, config });
  assert.equal(plain.hash, configHash({ config, steps: 4, optimizer: {} }));
  assert.equal(plain.code, null);
  assert.notEqual(first.hash, plain.hash);
  assert.deepEqual(first.lossHistory, plain.lossHistory, 'the code version changes the key, not the training');

  const cached = await train({ ...problem(1), steps: 4, config, checkpointDir: ckDir, codeModule });
  assert.equal(cached.fromCache, true, 'same code: loaded');
  const saved = JSON.parse(readFileSync(join(ckDir, 'checkpoint.json'), 'utf8'));
  assert.deepEqual(saved.code, { module: codeModule, version: first.code });
  assert.equal(saved.configHash, plain.hash);
  let entries = listCacheEntries({ root: cache });
  assert.deepEqual(entries.map((e) => [e.paper, e.kind, e.status, e.code, e.configHash]), [['demo', 'model', 'current', first.code, plain.hash]]);

  writeFileSync(join(dir, 'leaf.js'), 'export const FACTOR = 3;\n');
  entries = listCacheEntries({ root: cache });
  assert.equal(entries[0].status, 'stale', 'the code changed on disk: the model is listed stale');
  forgetCodeVersions(); // a new process would see the new code
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  let stale: Awaited<ReturnType<typeof train>>;
  try {
    stale = await train({ ...problem(1), steps: 4, config, checkpointDir: ckDir, codeModule, stopAtStep: 2 });
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', onWarning);
  }
  assert.equal(stale.fromCache, false, 'other code: not loaded');
  assert.equal(stale.resumedFrom, 0, 'trained from the start');
  assert.ok(warnings.some((w) => w.includes(join(ckDir, 'checkpoint.json')) && /stale checkpoint.*other code/.test(w)), JSON.stringify(warnings));
  entries = listCacheEntries({ root: cache });
  assert.deepEqual(entries.map((e) => [e.kind, e.status]), [['checkpoint', 'current']], 'an unfinished run of the new code');
  assert.equal(entries[0].code, codeVersion(codeModule).version);
  const { removed } = removeCacheEntries(entries, cache);
  assert.equal(removed.length, 1);
  assert.ok(!existsSync(ckDir) && !existsSync(join(cache, 'models', 'demo-net')) && existsSync(join(cache, 'models')));
  assert.throws(() => removeCacheEntries([{ ...entries[0], path: join(cache, 'photos') }], cache), /not a result-cache entry/);
  mkdirSync(join(cache, 'photos'));
  assert.deepEqual(listCacheEntries({ root: cache }), [], 'data caches are not listed');
});
