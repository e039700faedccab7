import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../../lib/nn/index.js';
import { demoTrial, type DemoTrialConfig } from '../fixtures/sweep-demo.js';

const demoModule = fileURLToPath(new URL('../fixtures/sweep-demo.js', import.meta.url));

test('runSweep: parallel workers, results match in-process runs, failures reported, cache skips finished configs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-sweep-'));
  const configs: DemoTrialConfig[] = [
    { a: 2, b: -1, lr: 0.1, steps: 40 },
    { a: -0.5, b: 3, lr: 0.1, steps: 40 },
    { a: 1, b: 1, lr: 0.1, steps: 40, fail: true },
    { a: 0.3, b: 0.2, lr: 0.05, steps: 20 },
  ];
  const first = await runSweep<DemoTrialConfig, { a: number; b: number; loss: number; pid: number }>({
    module: demoModule, exportName: 'demoTrial', configs, workers: 2, cacheDir: dir,
  });
  assert.equal(first.length, 4);
  const pids = new Set<number>();
  for (let i = 0; i < 4; i++) {
    const o = first[i];
    assert.deepEqual(o.config, configs[i]);
    if (i === 2) {
      assert.equal(o.ok, false);
      if (!o.ok) assert.match(o.error, /asked to fail/);
      continue;
    }
    assert.ok(o.ok, JSON.stringify(o));
    if (!o.ok) continue;
    assert.equal(o.cached, false);
    pids.add(o.result.pid);
    const direct = await demoTrial(configs[i]); // truth: the same trial run in this process
    assert.equal(o.result.a, direct.a);
    assert.equal(o.result.loss, direct.loss);
    assert.notEqual(o.result.pid, process.pid);
  }
  assert.ok(pids.size >= 1 && pids.size <= 2);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.json')).length, 3, 'only successes are cached');

  const second = await runSweep({ module: demoModule, exportName: 'demoTrial', configs, workers: 2, cacheDir: dir });
  assert.deepEqual(second.map((o) => o.ok && o.cached), [true, true, false, true]);

  await assert.rejects(() => runSweep({ module: join(dir, 'nope.js'), exportName: 'x', configs: [] }), RangeError);
  const missing = await runSweep({ module: demoModule, exportName: 'noSuchExport', configs: [{}], workers: 1, cacheDir: dir });
  assert.ok(!missing[0].ok && /no exported function/.test(missing[0].error));
  // A crashed worker fails only its own config; the next config runs in a fresh process.
  const crash = await runSweep({ module: demoModule, exportName: 'demoTrial', configs: [{ ...configs[0], crash: true }, { ...configs[0], steps: 5 }], workers: 1, cacheDir: dir });
  assert.ok(!crash[0].ok && /worker exited \(code 3/.test(crash[0].error));
  assert.ok(crash[1].ok);
  rmSync(dir, { recursive: true });
});

test('a sweep worker stops within seconds when its parent is killed (SIGKILL), even inside a long loop', async () => {
  const { spawn, execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'nn-sweep-orphan-'));
  const index = fileURLToPath(new URL('../../lib/nn/index.js', import.meta.url));
  const script = `import { runSweep } from ${JSON.stringify(index)};
    await runSweep({ module: ${JSON.stringify(demoModule)}, exportName: 'demoTrial', workers: 1, cacheDir: ${JSON.stringify(dir)},
      configs: [{ a: 1, b: 0, lr: 0.01, steps: 1e9, startedFile: ${JSON.stringify(join(dir, 'started'))} }] });`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const workerPids = (): number[] => execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number)).filter(([, pp]) => pp === parent.pid).map(([p]) => p);
  let workers: number[] = [];
  for (let i = 0; i < 60 && workers.length === 0; i++) { await new Promise((r) => setTimeout(r, 250)); workers = workerPids(); }
  assert.equal(workers.length, 1, 'the worker started');
  const { existsSync } = await import('node:fs');
  for (let i = 0; i < 120 && !existsSync(join(dir, 'started')); i++) await new Promise((r) => setTimeout(r, 250));
  assert.ok(existsSync(join(dir, 'started')), 'the worker entered its loop');
  await new Promise((r) => setTimeout(r, 300));
  parent.kill('SIGKILL');
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  for (let i = 0; i < 40 && alive(workers[0]); i++) await new Promise((r) => setTimeout(r, 250));
  const survived = alive(workers[0]);
  if (survived) process.kill(workers[0], 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  assert.equal(survived, false, 'the orphaned worker exited');
});
