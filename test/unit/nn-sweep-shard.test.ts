/**
 * Sharded sweeps and entry locks (lib/nn/sweep-coord.ts, sweep-lock.ts, sweep.ts): real concurrent sweep processes
 * (test/fixtures/sweep-shard-child.ts) on one temporary cache — each configuration trained exactly once, counted by
 * the trial's own log — plus the owner rule against its formula, stale and live locks, from-cache, plan mode, the
 * shard time-out and a failed entry of another shard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseShard, parseShardCount, runSweep, shardOf, SweepMissingError, SweepPlanStop, type SweepCoordination,
} from '../../lib/nn/index.js';
import { lockFileOf, failureFileOf } from '../../lib/nn/sweep-lock.js';
import type { DemoTrialConfig } from '../fixtures/sweep-demo.js';

const demoModule = fileURLToPath(new URL('../fixtures/sweep-demo.js', import.meta.url));
const child = fileURLToPath(new URL('../fixtures/sweep-shard-child.js', import.meta.url));
const train = (extra: Partial<SweepCoordination> = {}): SweepCoordination => ({ mode: 'train', shard: null, shards: null, waitTimeoutMs: 120_000, planFile: null, ...extra });

interface ChildOutcome { hash: string; ok: boolean; cached: boolean; result: { a: number; b: number; loss: number } }

function runChild(dir: string, coord: SweepCoordination, configs: DemoTrialConfig[]): { pid: number; done: Promise<{ code: number | null; out: ChildOutcome[]; err: string }> } {
  const p = spawn(process.execPath, [child, dir, JSON.stringify(coord), JSON.stringify(configs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const done = new Promise<{ code: number | null; out: ChildOutcome[]; err: string }>((res) => p.on('exit', (code) => res({ code, out: out.trim() ? JSON.parse(out) as ChildOutcome[] : [], err })));
  return { pid: p.pid as number, done };
}

const configsFor = (log: string, n: number): DemoTrialConfig[] =>
  Array.from({ length: n }, (_, i) => ({ a: i + 1, b: 0.5, lr: 0.1, steps: 10, trainedLog: log, sleepMs: 300 }));
const trainedLines = (log: string): string[][] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ')) : []);

test('the owner of an entry is (first 48 bits of its hash mod n) + 1; shard specs are checked', () => {
  assert.equal(shardOf('000000000005' + 'f'.repeat(52), 2), 2); // 5 mod 2 = 1 → shard 2
  assert.equal(shardOf('00000000000a' + '0'.repeat(52), 5), 1); // 10 mod 5 = 0 → shard 1
  assert.equal(shardOf('ffffffffffff' + '0'.repeat(52), 7), (0xffffffffffff % 7) + 1);
  assert.equal(shardOf('abcdef012345', 1), 1);
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  for (const bad of ['0/2', '3/2', '1/0', 'x', '1/2/3', '-1/2', '1.5/2', '']) {
    assert.throws(() => parseShard(bad), (e: Error) => e instanceof RangeError && /--shard must be i\/n/.test(e.message), bad);
  }
  assert.equal(parseShardCount('4'), 4);
  for (const bad of ['0', '-1', 'two', '2.5']) assert.throws(() => parseShardCount(bad), /--shards must be a whole number/);
  assert.throws(() => shardOf('xyz', 2), /hash must be a hex/);
});

test('two concurrent plain sweeps on one cache train each configuration once and return the same results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-plain-'));
  const log = join(dir, 'trained.log');
  const configs = configsFor(log, 4);
  const [x, y] = [runChild(join(dir, 'cache'), train(), configs), runChild(join(dir, 'cache'), train(), configs)];
  const [rx, ry] = await Promise.all([x.done, y.done]);
  assert.equal(rx.code, 0, rx.err);
  assert.equal(ry.code, 0, ry.err);
  const lines = trainedLines(log);
  assert.deepEqual(lines.map((l) => Number(l[0])).sort(), [1, 2, 3, 4], `each configuration trained exactly once: ${JSON.stringify(lines)}`);
  assert.deepEqual(rx.out.map((o) => o.result), ry.out.map((o) => o.result), 'both processes return the same results');
  assert.ok(rx.out.every((o) => o.ok) && ry.out.every((o) => o.ok));
  assert.deepEqual(readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.lock')), [], 'no lock left behind');
  rmSync(dir, { recursive: true, force: true });
});

test('shards 1/2 and 2/2 each train only what they own, wait for the rest, and agree; from-cache then trains nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-2-'));
  const cache = join(dir, 'cache');
  const log = join(dir, 'trained.log');
  const configs = configsFor(log, 6);
  const s1 = runChild(cache, train({ shard: { index: 1, count: 2 }, shards: 2 }), configs);
  const s2 = runChild(cache, train({ shard: { index: 2, count: 2 }, shards: 2 }), configs);
  const [r1, r2] = await Promise.all([s1.done, s2.done]);
  assert.equal(r1.code, 0, r1.err);
  assert.equal(r2.code, 0, r2.err);
  const lines = trainedLines(log);
  assert.equal(lines.length, 6, `six trainings in all: ${JSON.stringify(lines)}`);
  const byA = new Map(lines.map(([a, pid]) => [Number(a), Number(pid)]));
  assert.equal(byA.size, 6, 'no configuration trained twice');
  const shardPid = { 1: s1.pid, 2: s2.pid } as Record<number, number>;
  r1.out.forEach((o, i) => {
    assert.equal(byA.get(configs[i].a), shardPid[shardOf(o.hash, 2)], `config ${i} trained by its owner, shard ${shardOf(o.hash, 2)}/2`);
  });
  const owners = new Set(r1.out.map((o) => shardOf(o.hash, 2)));
  assert.equal(owners.size, 2, 'these six configurations are split over both shards (else the test tests nothing)');
  assert.deepEqual(r1.out.map((o) => o.result), r2.out.map((o) => o.result));

  const drawn = await runSweep<DemoTrialConfig, { a: number }>({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: cache, coordination: { ...train(), mode: 'from-cache', shards: 2 } });
  assert.ok(drawn.every((o) => o.ok && o.cached));
  assert.deepEqual(drawn.map((o) => (o.ok ? o.result : null)), r1.out.map((o) => o.result));
  assert.equal(trainedLines(log).length, 6, 'from-cache trained nothing');
  rmSync(dir, { recursive: true, force: true });
});

test('from-cache on an empty cache fails listing every missing entry with its owner shard', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-fc-'));
  const configs = configsFor(join(dir, 'log'), 3);
  const err = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: dir, coordination: { ...train(), mode: 'from-cache', shards: 3 }, describe: (c) => `demo a=${c.a}` })
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SweepMissingError, String(err));
  assert.equal(err.missing.length, 3);
  for (let i = 0; i < 3; i++) {
    const m = err.missing[i];
    assert.match(err.message, new RegExp(`demo a=${i + 1}  \\[${m.hash.slice(0, 12)}\\]  owned by shard ${shardOf(m.hash, 3)}/3`));
  }
  assert.equal(existsSync(join(dir, 'log')), false, 'nothing trained');
  rmSync(dir, { recursive: true, force: true });
});

test('a dead holder\'s lock and a lock without heartbeat are broken with a warning; a live lock is waited for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-lock-'));
  const log = join(dir, 'trained.log');
  const [c] = configsFor(log, 1);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  // The hash of the entry: from a from-cache miss (the same key runSweep uses).
  const miss = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c], workers: 1, cacheDir: dir, coordination: { ...train(), mode: 'from-cache' } }).catch((e: SweepMissingError) => e);
  const hash = (miss as SweepMissingError).missing[0].hash;
  const lock = lockFileOf(dir, hash);

  // 1. a dead process on this host
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.on('exit', r));
  writeFileSync(lock, JSON.stringify({ host: hostname(), pid: dead.pid, startTicks: null, since: 'earlier', token: 'x' }));
  const first = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c], workers: 1, cacheDir: dir, coordination: train(), pollMs: 50 });
  assert.ok(first[0].ok && !first[0].cached);
  assert.ok(warnings.some((w) => w.includes('broke the stale lock') && w.includes('not running')), warnings.join('\n'));
  assert.equal(existsSync(lock), false);

  // 2. a live holder on another host whose heartbeat stopped 1 h ago (stale limit 1 s)
  const c2 = { ...c, a: 9 };
  const miss2 = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c2], workers: 1, cacheDir: dir, coordination: { ...train(), mode: 'from-cache' } }).catch((e: SweepMissingError) => e);
  const lock2 = lockFileOf(dir, (miss2 as SweepMissingError).missing[0].hash);
  writeFileSync(lock2, JSON.stringify({ host: 'elsewhere', pid: process.pid, startTicks: null, since: 'earlier', token: 'y' }));
  const old = new Date(Date.now() - 3600_000);
  utimesSync(lock2, old, old);
  const second = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c2], workers: 1, cacheDir: dir, coordination: train(), locks: { staleMs: 1000 } });
  assert.ok(second[0].ok && !second[0].cached);
  assert.ok(warnings.some((w) => w.includes('no heartbeat for')), warnings.join('\n'));

  // 3. a live, fresh lock (this test process, on this host): the sweep waits, then trains it once the lock goes
  const c3 = { ...c, a: 11 };
  const miss3 = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c3], workers: 1, cacheDir: dir, coordination: { ...train(), mode: 'from-cache' } }).catch((e: SweepMissingError) => e);
  const lock3 = lockFileOf(dir, (miss3 as SweepMissingError).missing[0].hash);
  writeFileSync(lock3, JSON.stringify({ host: hostname(), pid: process.pid, startTicks: null, since: 'now', token: 'z' }));
  const lines: string[] = [];
  const released = new Promise<number>((r) => setTimeout(() => { rmSync(lock3); r(Date.now()); }, 1500));
  const third = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [c3], workers: 1, cacheDir: dir, coordination: train(), pollMs: 50, log: (l) => lines.push(l) });
  const at = await released;
  assert.ok(third[0].ok && !third[0].cached);
  assert.ok(Date.now() >= at, 'it finished only after the lock was released');
  assert.match(lines[0] ?? '', /waiting for 1 entry of another process \(locked\)/);
  assert.deepEqual(trainedLines(log).map((l) => Number(l[0])), [1, 9, 11]);
  process.off('warning', onWarning);
  rmSync(dir, { recursive: true, force: true });
});

test('a shard gives up after its time-out naming the owners, and stops at once on another shard\'s recorded failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-timeout-'));
  const configs = configsFor(join(dir, 'log'), 6);
  const probe = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: dir, coordination: { ...train(), mode: 'from-cache', shards: 2 } }).catch((e: SweepMissingError) => e);
  const others = (probe as SweepMissingError).missing.filter((m) => shardOf(m.hash, 2) === 2);
  assert.ok(others.length > 0);
  // Shard 1 with only shard 2's configurations: it trains nothing and waits.
  const theirs = configs.filter((_, i) => shardOf((probe as SweepMissingError).missing[i].hash, 2) === 2);
  const t0 = Date.now();
  const err = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: theirs, workers: 1, cacheDir: dir, pollMs: 50, log: () => {}, coordination: train({ shard: { index: 1, count: 2 }, shards: 2, waitTimeoutMs: 600 }) }).then(() => null, (e: Error) => e);
  assert.ok(err && /shard 1\/2: gave up after \d+ s \(--shard-timeout\) waiting for \d+ entr(y|ies) of shard 2\/2/.test(err.message), String(err));
  for (const m of others) assert.ok(err.message.includes(`[${m.hash.slice(0, 12)}]  shard 2/2`), err.message);
  assert.ok(Date.now() - t0 < 10_000);
  assert.equal(existsSync(join(dir, 'log')), false, 'shard 1 trained none of shard 2\'s configurations');

  setTimeout(() => writeFileSync(failureFileOf(dir, others[0].hash), JSON.stringify({ host: 'node7', pid: 4242, at: Date.now(), error: 'out of memory' })), 300);
  const failed = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: theirs, workers: 1, cacheDir: dir, pollMs: 50, log: () => {}, coordination: train({ shard: { index: 1, count: 2 }, shards: 2 }) }).then(() => null, (e: Error) => e);
  assert.ok(failed && /failed in pid 4242 on node7: out of memory/.test(failed.message), String(failed));
  rmSync(dir, { recursive: true, force: true });
});

test('plan mode records the sweep (cached or not, owner, estimate from another code version), trains nothing, stops when entries are missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-shard-plan-'));
  const cache = join(dir, 'cache');
  const log = join(dir, 'log');
  const configs = configsFor(log, 3);
  await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [configs[0]], workers: 1, cacheDir: cache, coordination: train() });
  // An entry of the same configuration under another code version: its elapsedMs is the estimate.
  const first = JSON.parse(readFileSync(join(cache, readdirSync(cache).find((f) => f.endsWith('.json'))!), 'utf8'));
  writeFileSync(join(cache, 'other-code.json'), JSON.stringify({ ...first, code: 'f'.repeat(64), config: configs[1], elapsedMs: 4321 }));
  const planFile = join(dir, 'plan.jsonl');
  const coord = { ...train(), mode: 'plan' as const, planFile, shards: 2 };
  const err = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: cache, coordination: coord, describe: (c) => `a=${c.a}` }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SweepPlanStop && err.missing === 2, String(err));
  const [sweep] = readFileSync(planFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(sweep.stopped, true);
  assert.deepEqual(sweep.entries.map((e: { description: string; cached: boolean }) => [e.description, e.cached]), [['a=1', true], ['a=2', false], ['a=3', false]]);
  assert.equal(sweep.entries[0].estimateMs, first.elapsedMs, 'a cached entry: its own time');
  assert.equal(sweep.entries[1].estimateMs, 4321);
  assert.equal(sweep.entries[2].estimateMs, null);
  for (const e of sweep.entries) assert.equal(e.owner, shardOf(e.hash, 2));
  // With a stand-in, plan mode carries on.
  const standIn = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 1, cacheDir: cache, coordination: coord, planStandIn: () => ({ a: 0 }) });
  assert.deepEqual(standIn.map((o) => o.ok && o.cached), [true, false, false]);
  assert.equal(trainedLines(log).length, 1, 'plan mode trained nothing');
  assert.equal(readdirSync(cache).filter((f) => f.endsWith('.json')).length, 2, 'plan mode wrote nothing to the cache');
  rmSync(dir, { recursive: true, force: true });
});
