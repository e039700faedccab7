/**
 * The Slurm harness for real (`npm run test:cluster`): starts a single-node Slurm on localhost in a temporary folder
 * (deploy/slurm/local-cluster.sh: munged with its own key, slurmctld, slurmd, a generated slurm.conf), submits one
 * notebook's quick profile as a 2-task shard array plus the dependent draw job through deploy/slurm/submit.sh, waits for
 * them (scontrol polling, with a time limit), and checks
 *   - both shard tasks and the draw job completed with exit code 0, the two shards ran at the same time (lockstep),
 *   - the draw job's results.json equals a single-machine quick run: the committed expected values
 *     (test/expected/<paper>.quick.json, compared by lib/workbook/expected.ts as test/notebooks/papers.test.ts does).
 * The model cache is a fresh temporary folder (the photo set linked in from $SEMCOM_CACHE or .cache), so the shards
 * really train. Every daemon it started is stopped afterwards, also on failure or Ctrl-C; the temporary folder is kept
 * (and named) when the test fails.
 * Skips, saying why, unless run by `npm run test:cluster` (SEMCOM_CLUSTER_TEST=1: `npm test` must not start daemons),
 * as root, with Slurm and munge installed (scripts/cluster-setup.sh). WORKBOOK_CLUSTER_PAPER picks another notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheDir, projectRoot } from '../../lib/core/index.js';
import { compareExpected, expectedPath, formatMismatches, readExpected, type ResultsLike } from '../../lib/workbook/expected.js';

const root = projectRoot();
// e2ec's quick profile: the cheapest trained notebook that needs no photo set (measured, see README "Running on a cluster").
const paper = process.env.WORKBOOK_CLUSTER_PAPER ?? 'e2ec';
const shards = 2;
const waitLimitMs = 40 * 60_000;
const terminal = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/sbin').some((d) => d !== '' && existsSync(join(d, bin)));
}

function skipReason(): string | false {
  if (process.env.SEMCOM_CLUSTER_TEST !== '1') return 'starts Slurm daemons: run it with `npm run test:cluster`';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (slurmd runs jobs as their user)';
  const missing = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'squeue', 'sinfo'].filter((b) => !onPath(b));
  if (missing.length > 0) return `Slurm/munge not installed (missing ${missing.join(', ')}): run scripts/cluster-setup.sh`;
  if (!existsSync(join(root, 'notebooks', `${paper}.ipynb`))) return `no notebook notebooks/${paper}.ipynb`;
  return false;
}

interface JobInfo { id: string; state: string; exitCode: string; start: string; end: string; arrayTask: string | null }

/** `scontrol show job -o <id>`: one line per job (an array's tasks each get one), fields as key=value. */
function showJobs(id: string, env: NodeJS.ProcessEnv): JobInfo[] {
  const r = spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8', env, timeout: 30_000 });
  if (r.status !== 0) throw new Error(`scontrol show job ${id} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('JobId=')).map((l) => {
    const field = (k: string) => new RegExp(`(?:^| )${k}=(\\S*)`).exec(l)?.[1] ?? '';
    return {
      id: field('JobId'), state: field('JobState'), exitCode: field('ExitCode'), start: field('StartTime'), end: field('EndTime'),
      arrayTask: field('ArrayTaskId') || null,
    };
  });
}

function logs(dir: string): string {
  if (!existsSync(dir)) return '(no job logs)';
  return readdirSync(dir).sort().map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    return `--- ${f} (last 40 lines)\n${text.split('\n').slice(-40).join('\n')}`;
  }).join('\n');
}

const skip = skipReason();

test(`a 2-shard Slurm array of ${paper} (quick) and its draw job reproduce the single-machine quick run`, { skip, timeout: waitLimitMs + 5 * 60_000 }, async (t) => {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'workbook-slurm-'));
  const clusterDir = join(work, 'cluster');
  const cache = join(work, 'cache');
  const jobLogs = join(work, 'jobs');
  const drawOut = join(work, 'draw');
  mkdirSync(cache);
  // The photo set (read-only data) comes from the usual cache; models are trained afresh into this one.
  const photos = cacheDir('photos');
  if (existsSync(photos)) symlinkSync(photos, join(cache, 'photos'));
  const stop = () => spawnSync('bash', [join(root, 'deploy', 'slurm', 'local-cluster.sh'), 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
  const onSignal = (sig: NodeJS.Signals) => { stop(); process.kill(process.pid, sig); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let ok = false;
  try {
    const up = spawnSync('bash', [join(root, 'deploy', 'slurm', 'local-cluster.sh'), 'start', clusterDir], {
      encoding: 'utf8', timeout: 120_000,
      // Two shards must run at once (lockstep): the node offers at least 2 CPUs even on a 1-CPU machine.
      env: { ...process.env, LOCAL_CLUSTER_CPUS: String(Math.max(shards, availableParallelism())) },
    });
    assert.equal(up.status, 0, `local cluster did not start:\n${up.stdout}${up.stderr}`);
    t.diagnostic(up.stdout.trim().split('\n')[0]);
    const env = { ...process.env, SLURM_CONF: join(clusterDir, 'slurm.conf') };

    const sub = spawnSync('bash', [
      join(root, 'deploy', 'slurm', 'submit.sh'), paper, '--shards', String(shards), '--profile', 'quick',
      '--cpus', '1', '--mem', '3G', '--time', '40', '--draw-time', '30', '--cache', cache, '--out', drawOut,
      '--log-dir', jobLogs, '--parsable',
    ], { encoding: 'utf8', env, timeout: 60_000 });
    assert.equal(sub.status, 0, `submit.sh failed:\n${sub.stdout}${sub.stderr}`);
    const m = /^(\d+) (\d+)$/m.exec(sub.stdout.trim());
    assert.ok(m, `submit.sh --parsable prints "<array id> <draw id>", got ${JSON.stringify(sub.stdout)}`);
    const [arrayId, drawId] = [m[1], m[2]];
    t.diagnostic(`array job ${arrayId}, draw job ${drawId}`);

    let draw: JobInfo | undefined;
    let lastReport = 0;
    for (;;) {
      draw = showJobs(drawId, env)[0];
      if (draw && terminal.has(draw.state)) break;
      if (Date.now() - started > waitLimitMs) {
        assert.fail(`timed out after ${waitLimitMs / 60_000} min (draw job ${draw?.state ?? 'unknown'})\n${logs(jobLogs)}`);
      }
      if (Date.now() - lastReport > 60_000) {
        lastReport = Date.now();
        const tasks = showJobs(arrayId, env).map((j) => `${j.arrayTask}:${j.state}`).join(' ');
        process.stderr.write(`  [${Math.round((Date.now() - started) / 1000)} s] shards ${tasks}; draw ${draw?.state}\n`);
      }
      await sleep(5000);
    }
    const tasks = showJobs(arrayId, env);
    assert.equal(tasks.length, shards, `the array has ${shards} tasks: ${JSON.stringify(tasks)}`);
    for (const j of tasks) assert.deepEqual([j.state, j.exitCode], ['COMPLETED', '0:0'], `shard ${j.arrayTask} (${j.id})\n${logs(jobLogs)}`);
    assert.deepEqual([draw.state, draw.exitCode], ['COMPLETED', '0:0'], `draw job ${drawId}\n${logs(jobLogs)}`);
    // Lockstep needs both shards alive at once: each started before the other ended.
    const [a, b] = tasks.map((j) => ({ start: Date.parse(j.start), end: Date.parse(j.end) }));
    assert.ok(a.start <= b.end && b.start <= a.end, `the shards ran at the same time: ${JSON.stringify(tasks)}`);
    assert.ok(Date.parse(draw.start) >= Math.max(a.end, b.end), 'the draw job started after both shards ended');

    const resultsFile = join(drawOut, 'figures', paper, 'results.json');
    assert.ok(existsSync(resultsFile), `the draw job wrote ${resultsFile}\n${logs(jobLogs)}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ResultsLike & { provenance: { profile: string } };
    assert.equal(results.provenance.profile, 'quick');
    const expected = readExpected(expectedPath(paper));
    assert.ok(expected, `test/expected/${paper}.quick.json exists`);
    const cmp = compareExpected(expected, results);
    assert.equal(cmp.setup, null, cmp.setup ?? '');
    if (cmp.skipped) t.diagnostic(`${paper}: ${cmp.skipped.count} backend-dependent values not compared: ${cmp.skipped.reason}`);
    assert.ok(cmp.compared > 0, 'some values compared');
    assert.equal(cmp.mismatches.length, 0, formatMismatches(paper, cmp.mismatches));
    t.diagnostic(`${cmp.compared} values equal the single-machine quick run; wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    ok = true;
  } finally {
    const down = stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (down.status !== 0) t.diagnostic(`stopping the local cluster: ${down.stdout}${down.stderr}`);
    if (ok) rmSync(work, { recursive: true, force: true });
    else t.diagnostic(`kept ${work} (cluster logs in cluster/log, job logs in jobs/)`);
  }
});
