/**
 * deploy/slurm/submit.sh without a cluster: `--dry-run` prints the two sbatch calls it would make (the shard array and
 * the draw job behind it), and bad arguments stop it with a message naming the argument, before anything is submitted.
 * The real submission is tested by test/cluster/slurm.test.ts (`npm run test:cluster`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';

const root = projectRoot();
const submit = (...args: string[]) => spawnSync('bash', [join(root, 'deploy', 'slurm', 'submit.sh'), ...args], {
  encoding: 'utf8', timeout: 30_000, env: { ...process.env, SEMCOM_CACHE: '/shared/cache' },
});

/** The options of one printed sbatch line (`--name=value` → name: value; `--flag` → name: ''), and its script args. */
function parseSbatch(line: string): { opts: Map<string, string>; script: string; args: string[] } {
  const words = line.trim().split(/\s+/);
  assert.equal(words[0], 'sbatch', line);
  const opts = new Map<string, string>();
  let i = 1;
  for (; i < words.length && words[i].startsWith('--'); i++) {
    const eq = words[i].indexOf('=');
    if (eq < 0) opts.set(words[i].slice(2), '');
    else opts.set(words[i].slice(2, eq), words[i].slice(eq + 1));
  }
  return { opts, script: words[i], args: words.slice(i + 1) };
}

test('submit.sh --dry-run: one array task per shard with the resources asked for, then the draw job after it', () => {
  const r = submit('vscc', '--shards', '3', '--profile', 'full', '--cpus', '4', '--mem', '16G', '--time', '1-12:00:00',
    '--partition', 'gpu', '--gpus', '2', '--draw-cpus', '2', '--dry-run', '--', '--param', 'epochs=3');
  assert.equal(r.status, 0, r.stderr);
  const [envLine, arrayLine, drawLine] = r.stdout.trim().split('\n');
  assert.match(envLine, /^SEMCOM_CACHE=\/shared\/cache WORKBOOK_DIR=/);

  const array = parseSbatch(arrayLine);
  assert.equal(array.opts.get('array'), '1-3');
  assert.equal(array.opts.get('cpus-per-task'), '4');
  assert.equal(array.opts.get('mem'), '16G');
  assert.equal(array.opts.get('time'), '1-12:00:00');
  assert.equal(array.opts.get('partition'), 'gpu');
  assert.equal(array.opts.get('gres'), 'gpu:2');
  assert.equal(array.opts.has('dependency'), false);
  assert.equal(array.script, join(root, 'deploy', 'slurm', 'shard.sbatch'));
  assert.deepEqual(array.args, ['vscc', 'full', '3', '--param', 'epochs=3']);

  const draw = parseSbatch(drawLine);
  assert.equal(draw.opts.get('dependency'), 'afterok:ARRAY_JOB_ID');
  assert.equal(draw.opts.has('array'), false);
  assert.equal(draw.opts.get('cpus-per-task'), '2');
  assert.equal(draw.opts.get('mem'), '16G', 'the draw job defaults to the shards\' memory');
  assert.equal(draw.opts.get('partition'), 'gpu');
  assert.equal(draw.opts.has('gres'), false, 'the draw job asks for no GPU unless --draw-gpus');
  assert.equal(draw.script, join(root, 'deploy', 'slurm', 'draw.sbatch'));
  assert.deepEqual(draw.args, ['vscc', 'full', '3', '--param', 'epochs=3']);
});

test('submit.sh --out DIR sends only the draw job\'s notebook and figures there (shards keep their own folders)', () => {
  const [, arrayLine, drawLine] = submit('e2ec', '--shards', '2', '--out', '/shared/run1', '--dry-run', '--', '--param', 'steps=5').stdout.trim().split('\n');
  assert.deepEqual(parseSbatch(arrayLine).args, ['e2ec', 'quick', '2', '--param', 'steps=5']);
  assert.deepEqual(parseSbatch(drawLine).args,
    ['e2ec', 'quick', '2', '--out', '/shared/run1/notebooks', '--param', 'outDir=/shared/run1/figures', '--param', 'steps=5']);
});

test('submit.sh --gres passes any generic resource; without GPU options no --gres', () => {
  const g = parseSbatch(submit('e2ec', '--shards', '2', '--gres', 'gpu:a100:1', '--dry-run').stdout.split('\n')[1]);
  assert.equal(g.opts.get('gres'), 'gpu:a100:1');
  const none = parseSbatch(submit('e2ec', '--shards', '2', '--dry-run').stdout.split('\n')[1]);
  assert.equal(none.opts.has('gres'), false);
  assert.equal(none.opts.get('cpus-per-task'), '1');
  assert.deepEqual(none.args, ['e2ec', 'quick', '2']);
});

test('submit.sh refuses bad arguments, naming the argument and the expected form, before submitting anything', () => {
  const cases: [string[], RegExp][] = [
    [['vscc'], /--shards N is required/],
    [['vscc', '--shards', '0'], /--shards must be a positive integer, got '0'/],
    [['vscc', '--shards', 'two'], /--shards must be a positive integer, got 'two'/],
    [['--shards', '2'], /name the paper notebook/],
    [['nosuch', '--shards', '2'], /<paper> must name a notebook in notebooks\/ \(.*vscc.*\), got 'nosuch'/],
    [['vscc', 'e2ec', '--shards', '2'], /one paper per submission/],
    [['vscc', '--shards', '2', '--mem', '4GB'], /--mem must be a Slurm memory size/],
    [['vscc', '--shards', '2', '--time', '1:99'], /--time must be a Slurm time limit/],
    [['vscc', '--shards', '2', '--gpus', '1', '--gres', 'gpu:1'], /--gpus or --gres, not both/],
    [['vscc', '--shards', '2', '--partition', 'a b'], /--partition must be a name/],
    [['vscc', '--shards', '2', '--cpus'], /--cpus needs a value/],
    [['vscc', '--shards', '2', '--frobnicate'], /unknown option --frobnicate/],
  ];
  for (const [args, message] of cases) {
    const r = submit('--dry-run', ...args);
    assert.equal(r.status, 2, `submit.sh ${args.join(' ')} exits 2`);
    assert.match(r.stderr, message, `submit.sh ${args.join(' ')}`);
    assert.equal(r.stdout, '', `submit.sh ${args.join(' ')} prints no sbatch call`);
  }
});

test('local-cluster.sh takes start|stop and a folder; stop of a folder without a cluster does nothing', () => {
  const lc = (...args: string[]) => spawnSync('bash', [join(root, 'deploy', 'slurm', 'local-cluster.sh'), ...args], { encoding: 'utf8' });
  assert.equal(lc().status, 2);
  assert.match(lc('restart', '/tmp/x').stderr, /usage: .* start\|stop DIR/);
  const r = lc('stop', join(root, 'no-such-cluster-folder'));
  assert.equal(r.status, 0, r.stderr);
});
