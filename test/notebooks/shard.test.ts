/**
 * Sharded sweeps end to end (issue 19): on one empty temporary cache, `workbook run vscc --profile quick
 * --from-cache --shards 2` fails listing the missing entries with their owner shards; `--shard 1/2` and `--shard 2/2`
 * run as two concurrent processes; then the draw job `--from-cache --shards 2` trains nothing and its results.json
 * carries the committed quick-profile expected values (test/expected/vscc.quick.json, the numbers of a plain quick
 * run). Every sweep entry is computed exactly once over both shards (counted from the notebook's own per-result
 * lines), the shards write only under build/shards/, and no lock is left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { compareExpected, expectedPath, formatMismatches, readExpected, type ResultsLike } from '../../lib/workbook/expected.js';

const root = projectRoot();
const cli = join(root, 'bin', 'workbook.js');
const sourceCache = process.env.SEMCOM_CACHE || join(root, '.cache');
// The runs' own build folder (SEMCOM_BUILD_DIR): the notebook test's plain vscc run, which may run at the same time,
// writes the project's build/quick/ and holds its output lock.
const build = mkdtempSync(join(tmpdir(), 'workbook-shard-build-'));

/** One `workbook run vscc --profile quick …` on the temporary cache: exit code, output and wall time. */
function run(cache: string, extra: string[]): Promise<{ code: number | null; out: string; seconds: number }> {
  const t0 = Date.now();
  const env = { ...process.env, SEMCOM_CACHE: cache, SEMCOM_BUILD_DIR: build };
  const p = spawn(process.execPath, [cli, 'run', 'vscc', '--profile', 'quick', ...extra], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  p.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  const limit = setTimeout(() => p.kill('SIGTERM'), 25 * 60_000);
  return new Promise((res) => p.on('exit', (code) => { clearTimeout(limit); res({ code, out, seconds: (Date.now() - t0) / 1000 }); }));
}

/** The notebook's per-result lines (the runner prefixes kernel output with `| `): `<model> (cached result)` or `<model> train …` / `model from cache, test …`. */
const computedLines = (out: string): string[] => out.split('\n').filter((l) => /^\s*(?:\|\s+)?(vscc d=\d+|vae|ae) @ -?\d+ dB /.test(l) && !l.includes('(cached result)')).map((l) => l.trim());
/** Warm starts trained by a run (one per training seed: `warm start, seed 1: 10 steps in 4 s …`). */
const warmStartTrained = (out: string): number => out.split('\n').filter((l) => /warm start, seed \d+: \d+ steps in /.test(l)).length;
/** The quick profile's training seeds: one warm start each. */
const QUICK_WARM_STARTS = 2;

function checkExpected(resultsPath: string, what: string): number {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsLike;
  const expected = readExpected(expectedPath('vscc'));
  assert.ok(expected, 'test/expected/vscc.quick.json exists');
  const cmp = compareExpected(expected, results);
  assert.equal(cmp.setup, null, cmp.setup ?? '');
  assert.equal(cmp.mismatches.length, 0, formatMismatches(`vscc (${what})`, cmp.mismatches));
  return cmp.compared;
}

test('vscc quick: two concurrent shards, then the from-cache draw run, give the plain run\'s expected values; each entry computed once', { timeout: 60 * 60_000 }, async (t) => {
  const photos = join(sourceCache, 'photos');
  if (!existsSync(photos)) {
    t.skip(`no photo set at ${photos} (npx workbook doctor --fix builds it)`);
    return;
  }
  const cache = mkdtempSync(join(tmpdir(), 'workbook-shard-cache-'));
  symlinkSync(photos, join(cache, 'photos')); // the input data, read-only; the result caches start empty
  const shardRoot = join(build, 'shards', 'quick');
  const plainResults = join(build, 'quick', 'figures', 'vscc', 'results.json');
  mkdirSync(join(build, 'quick'), { recursive: true });
  const plainBefore = existsSync(plainResults) ? statSync(plainResults).mtimeMs : null;
  try {
    // The draw job before any shard: fails, listing what is missing and who owns it.
    const empty = await run(cache, ['--from-cache', '--shards', '2']);
    assert.equal(empty.code, 1, empty.out);
    assert.match(empty.out, /configuration\(s\) of dist\/lib\/papers\/vscc\/trial\.js#runPretrain are missing from the cache/);
    assert.match(empty.out, /- warm start \(seed \d+\) {2}\[[0-9a-f]{12}\] {2}owned by shard [12]\/2/);

    const [s1, s2] = await Promise.all([run(cache, ['--shard', '1/2']), run(cache, ['--shard', '2/2'])]);
    t.diagnostic(`shard 1/2: ${s1.seconds.toFixed(0)} s, shard 2/2: ${s2.seconds.toFixed(0)} s (concurrent)`);
    assert.equal(s1.code, 0, s1.out.slice(-6000));
    assert.equal(s2.code, 0, s2.out.slice(-6000));
    assert.equal(existsSync(plainResults) ? statSync(plainResults).mtimeMs : null, plainBefore, 'the shards did not write build/quick/');
    for (const i of [1, 2]) {
      const r = join(shardRoot, `${i}-of-2`, 'figures', 'vscc', 'results.json');
      assert.ok(existsSync(join(shardRoot, `${i}-of-2`, 'notebooks', 'vscc.ipynb')), `shard ${i}'s executed notebook`);
      checkExpected(r, `shard ${i}/2`); // every shard computes the same notebook from the shared cache
    }

    // Each sweep entry computed exactly once over both shards.
    const entries = readdirSync(join(cache, 'sweeps', 'vscc')).filter((f) => f.endsWith('.json'));
    const computed = [...computedLines(s1.out), ...computedLines(s2.out)];
    assert.equal(warmStartTrained(s1.out) + warmStartTrained(s2.out), QUICK_WARM_STARTS, 'each seed\'s warm start was trained by one shard');
    assert.equal(computed.length + QUICK_WARM_STARTS, entries.length, `each of the ${entries.length} sweep entries computed once: ${computed.join(' | ')}`);
    assert.ok(computedLines(s1.out).length > 0 && computedLines(s2.out).length > 0, 'both shards trained a share');
    assert.deepEqual(readdirSync(join(cache, 'sweeps', 'vscc')).filter((f) => !f.endsWith('.json')), [], 'no lock or failure file left');

    const draw = await run(cache, ['--from-cache', '--shards', '2']);
    t.diagnostic(`draw run (--from-cache): ${draw.seconds.toFixed(0)} s`);
    assert.equal(draw.code, 0, draw.out.slice(-6000));
    assert.deepEqual(computedLines(draw.out), [], 'the draw run trained nothing');
    assert.equal(warmStartTrained(draw.out), 0);
    const compared = checkExpected(plainResults, 'from-cache draw run');
    t.diagnostic(`draw run: ${compared} values equal the committed quick-profile expected values`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  }
});

test('--shard and --from-cache are refused for a notebook without sweeps and for malformed values (exit 2)', () => {
  for (const [args, msg] of [
    [['zepe', '--shard', '1/2'], /zepe has no sweep/],
    [['vscc', '--shard', '0/2'], /--shard must be i\/n/],
    [['vscc', '--shard', '3/2'], /--shard must be i\/n/],
    [['vscc', '--shard', '1/0'], /--shard must be i\/n/],
    [['vscc', '--shard', 'x'], /--shard must be i\/n/],
    [['vscc', '--shards', '2'], /--shards n names owner shards for --from-cache/],
    [['vscc', '--from-cache', '--shards', '0'], /--shards must be a whole number/],
    [['vscc', '--shard', '1/2', '--from-cache'], /use one of them/],
    [['vscc', '--shard-timeout', '60'], /use it with --shard/],
  ] as const) {
    const r = spawnSync(process.execPath, [cli, 'run', ...args], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
});
