/**
 * Issue 18: configHash rejects what canonical JSON cannot represent (finding 3) without changing the hash of any plain
 * JSON config (trained models are cached by it), and corrupted cache entries — a truncated or garbage checkpoint.json,
 * a truncated or garbage sweep result — are reported with their path and recomputed, never used (finding 5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { tf, canonicalJson, configHash, train, initDense, denseLayer, runSweep,
  type Params } from '../../lib/nn/index.js';
import type { DemoTrialConfig } from '../fixtures/sweep-demo.js';
import { Rng } from '../../lib/core/index.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** Warnings emitted while fn runs. */
async function warningsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const on = (w: Error) => seen.push(w.message);
  process.on('warning', on);
  try {
    await fn();
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', on);
  }
  return seen;
}

test('configHash of a plain JSON config is pinned (cached models are found by it)', () => {
  const cfg = {
    model: { lr: 0.001, layers: [64, 32, 16], act: 'relu', dropout: null, w: new Float32Array([0.5, 1.5]) },
    seed: 2025, steps: 300, name: 'pinned', flags: { a: true, b: false }, u: undefined, neg: -0.25, big: 1e21,
  };
  // Computed with the code before this change.
  assert.equal(canonicalJson(cfg), '{"big":1e+21,"flags":{"a":true,"b":false},"model":{"act":"relu","dropout":null,"layers":[64,32,16],"lr":0.001,"w":[0.5,1.5]},"name":"pinned","neg":-0.25,"seed":2025,"steps":300}');
  assert.equal(configHash(cfg), '2fb28e7108624748c9d670791961fb51195c0b40eeada24e65d891e92e31d3f3');
  // Plain objects without Object.prototype, or from another realm, are plain JSON too.
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: [2] });
  assert.equal(configHash(bare), configHash({ a: 1, b: [2] }));
  assert.equal(configHash(runInNewContext('({ a: 1, b: [2] })')), configHash({ a: 1, b: [2] }));
});

test('configHash rejects values canonical JSON cannot represent, naming their path', () => {
  class Layer { constructor(readonly size = 3) {} }
  const cases: [unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    [new Map([['a', 1]]), /a Map/, TypeError],
    [new Set([1]), /a Set/, TypeError],
    [new Date(0), /a Date/, TypeError],
    [() => 1, /a function/, TypeError],
    [Symbol('s'), /a symbol/, TypeError],
    [10n, /a bigint/, TypeError],
    [NaN, /finite number/, RangeError],
    [Infinity, /finite number/, RangeError],
    [-Infinity, /finite number/, RangeError],
    [new Layer(), /an instance of Layer/, TypeError],
    [/x/, /RegExp/, TypeError],
    [new Number(1), /Number/, TypeError],
  ];
  for (const [bad, what, kind] of cases) {
    assert.throws(() => configHash({ model: { lr: bad } }), (e: Error) => e instanceof kind && /^config\.model\.lr /.test(e.message) && what.test(e.message),
      `${String(bad)} rejected as ${kind.name} naming config.model.lr`);
  }
  // Different configs used to share a hash ({} for all three).
  assert.throws(() => configHash({ a: new Map() }), /config\.a /);
  assert.throws(() => configHash({ layers: [1, new Set()] }), /config\.layers\[1\] /);
  assert.throws(() => configHash({ 'odd key': new Date() }), /config\["odd key"\] /);
  // eslint-disable-next-line no-sparse-arrays
  assert.throws(() => configHash({ xs: [1, , 3] }), /config\.xs\[1\] is a hole/);
  assert.throws(() => configHash({ [Symbol('k')]: 1 }), /symbol key/);
  assert.throws(() => configHash({ xs: [undefined] }), TypeError);
});

/** A small regression problem whose batches and init come from the Rng. */
function setup(seed: number): { params: Params; rng: Rng; lossFn: (c: { step: number; rng: Rng }) => tf.Scalar } {
  const rng = new Rng(seed);
  const params: Params = {};
  initDense(params, 'l1', { inDim: 3, outDim: 4, rng });
  initDense(params, 'l2', { inDim: 4, outDim: 1, rng });
  const lossFn = ({ rng: r }: { step: number; rng: Rng }) => {
    const xs = new Float32Array(8 * 3);
    for (let i = 0; i < xs.length; i++) xs[i] = r.normal();
    const y = denseLayer(params, 'l2', tf.tanh(denseLayer(params, 'l1', tf.tensor2d(xs, [8, 3]))));
    return tf.mean(tf.square(y)) as tf.Scalar;
  };
  return { params, rng, lossFn };
}

test('train: a truncated or garbage checkpoint.json is reported with its path and training starts over', async () => {
  await tf.setBackend('cpu');
  const config = { task: 'corrupt-ckpt' };
  const reference = await train({ ...setup(1), steps: 6, config, checkpointEvery: 3 });
  const dir = tmp('nn-ckpt-');
  await train({ ...setup(1), steps: 6, config, checkpointDir: dir, checkpointEvery: 3 });
  const ckpt = join(dir, 'checkpoint.json');
  const good = readFileSync(ckpt, 'utf8');
  const valid = JSON.parse(good) as Record<string, unknown>;

  const corruptions: [string, string][] = [
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['empty', ''],
    ['not JSON', 'garbage\u0000'],
    ['step negative', JSON.stringify({ ...valid, step: -3 })],
    ['step fractional', JSON.stringify({ ...valid, step: 2.5 })],
    ['step beyond steps', JSON.stringify({ ...valid, step: 60, done: false })],
    ['lossHistory wrong', JSON.stringify({ ...valid, lossHistory: ['x'] })],
    ['rng garbage', JSON.stringify({ ...valid, rng: { s: [1, 2], spare: null } })],
    ['hash garbage', JSON.stringify({ ...valid, hash: 42 })],
    ['array', '[1,2,3]'],
  ];
  for (const [label, text] of corruptions) {
    writeFileSync(ckpt, text);
    let res: Awaited<ReturnType<typeof train>> | undefined;
    const warnings = await warningsDuring(async () => { res = await train({ ...setup(1), steps: 6, config, checkpointDir: dir, checkpointEvery: 3 }); });
    assert.ok(warnings.some((w) => w.includes(ckpt) && /corrupted checkpoint/.test(w)), `${label}: warning names the file: ${JSON.stringify(warnings)}`);
    assert.equal(res?.fromCache, false, `${label}: not used`);
    assert.equal(res?.resumedFrom, 0, `${label}: trained from the start`);
    assert.deepEqual(res?.lossHistory, reference.lossHistory, `${label}: same result as a fresh run`);
    assert.deepEqual(JSON.parse(readFileSync(ckpt, 'utf8')).lossHistory, reference.lossHistory, `${label}: checkpoint rewritten`);
  }
  // A missing weight file makes the checkpoint unusable too.
  writeFileSync(ckpt, good);
  const weights = readdirSync(dir).find((f) => /^adam-\d+\.bin$/.test(f)) as string;
  rmSync(join(dir, weights));
  const w = await warningsDuring(async () => { assert.equal((await train({ ...setup(1), steps: 6, config, checkpointDir: dir, checkpointEvery: 3 })).fromCache, false); });
  assert.ok(w.some((m) => m.includes(ckpt) && m.includes(weights)), JSON.stringify(w));
  // The intact checkpoint is used as before.
  const cached = await train({ ...setup(1), steps: 6, config, checkpointDir: dir, checkpointEvery: 3 });
  assert.equal(cached.fromCache, true);
});

const demoModule = fileURLToPath(new URL('../fixtures/sweep-demo.js', import.meta.url));

test('runSweep: a truncated or garbage cached result is reported with its path and recomputed', async () => {
  const dir = tmp('nn-sweep-corrupt-');
  const configs: DemoTrialConfig[] = [{ a: 2, b: -1, lr: 0.1, steps: 10 }];
  const first = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: dir });
  assert.ok(first[0].ok);
  const file = join(dir, `${first[0].hash}.json`);
  const good = readFileSync(file, 'utf8');
  const valid = JSON.parse(good) as Record<string, unknown>;
  const corruptions: [string, string][] = [
    ['truncated', good.slice(0, good.length - 7)],
    ['not JSON', '\u0000\u0001garbage'],
    ['no result', JSON.stringify({ ...valid, result: undefined })],
    ['elapsedMs garbage', JSON.stringify({ ...valid, elapsedMs: 'soon' })],
    ['another config', JSON.stringify({ ...valid, config: { ...configs[0], a: 3 } })],
    ['another export', JSON.stringify({ ...valid, exportName: 'other' })],
    ['null', 'null'],
  ];
  for (const [label, text] of corruptions) {
    writeFileSync(file, text);
    let out: Awaited<ReturnType<typeof runSweep>> = [];
    const warnings = await warningsDuring(async () => { out = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: dir }); });
    assert.ok(warnings.some((w) => w.includes(file) && /corrupted sweep cache entry/.test(w)), `${label}: warning names the file: ${JSON.stringify(warnings)}`);
    assert.ok(out[0].ok && !out[0].cached, `${label}: recomputed, not used`);
    const { pid: _p, ...rewritten } = JSON.parse(readFileSync(file, 'utf8')).result as Record<string, unknown>;
    const { pid: _q, ...expected } = valid.result as Record<string, unknown>;
    assert.deepEqual(rewritten, expected, `${label}: rewritten with the real result`);
  }
  const again = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: dir });
  assert.ok(again[0].ok && again[0].cached, 'the intact entry is used as before');
});
