/**
 * The runner end to end: a real notebook is executed on the tslab kernel, its figure and table are written,
 * it is exported to HTML and PDF, and the page is opened in headless Chromium to check that the figure is visible.
 * A failing fixture proves the error report names the cell and the message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { exportNotebook, findChromium, readNotebook, screenshot } from '../../lib/workbook/index.js';
import { countColour, decodePng } from '../helpers/png.js';

const root = projectRoot();
const cli = join(root, 'bin', 'workbook.js');
const fixture = (n: string) => join(root, 'test', 'fixtures', `${n}.ipynb`);
const work = mkdtempSync(join(tmpdir(), 'workbook-test-'));

function workbook(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const VEGA_BLUE: [number, number, number] = [76, 120, 168]; // #4c78a8, the first series colour

test('run: executes a notebook with injected parameters and writes figure, table and results', () => {
  const out = join(work, 'nb');
  const r = workbook(['run', fixture('smoke'), '--profile', 'quick', '--param', 'points=7', '--out', out]);
  assert.equal(r.code, 0, r.out);
  const executed = readNotebook(join(out, 'smoke.ipynb'));
  assert.deepEqual(executed.metadata.workbook?.parameters?.points, 7);
  const injected = executed.cells.find((c) => c.metadata.tags?.includes('injected-parameters'));
  assert.ok(injected, 'an injected-parameters cell');
  const stdout = executed.cells.flatMap((c) => c.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
  assert.match(stdout, /points=7 last=36/, 'the override reached the code');
  // Progress on stderr as the run goes: cells numbered as the author sees them (the injected cell not counted).
  assert.match(r.out, /cell 3\/4 started: import \{ startRun \}/);
  assert.match(r.out, /cell 3\/4 done in \d+\.\d s/);
  assert.match(r.out, /\| points=7 last=36/, 'kernel output is echoed as it comes');
  assert.doesNotMatch(r.out, /cell \d+\/5/, 'the injected cell is not counted');
  const quiet = workbook(['run', fixture('smoke'), '--profile', 'quick', '--param', 'points=7', '--out', join(work, 'quiet'), '--quiet']);
  assert.equal(quiet.code, 0, quiet.out);
  assert.doesNotMatch(quiet.out, /started:|points=/);
  assert.ok(executed.cells.every((c) => c.metadata.execution === undefined), 'no timing metadata');
  const figs = join(root, 'build', 'quick', 'figures', 'smoke');
  for (const f of ['parabola.vl.json', 'parabola.svg', 'parabola.png', 'parabola.csv', 'squares.csv', 'squares.md', 'results.json']) {
    assert.ok(existsSync(join(figs, f)), `${f} written`);
  }
  const results = JSON.parse(readFileSync(join(figs, 'results.json'), 'utf8'));
  assert.equal(results.values.last, 36);
  assert.equal(results.provenance.profile, 'quick');
  assert.equal(results.provenance.seed, 1);
  assert.ok(results.provenance.packages['@tensorflow/tfjs']);
  assert.ok(typeof results.provenance.wallSeconds === 'number');
  assert.equal(readFileSync(join(figs, 'parabola.csv'), 'utf8').split('\n')[0], 'x,y,series');
  const png = decodePng(readFileSync(join(figs, 'parabola.png')));
  assert.ok(countColour(png, VEGA_BLUE) > 200, 'the PNG shows the line');
});

test('export: HTML shows the figure as SVG, PDF is written, and Chromium renders the figure', { skip: findChromium() ? false : 'chromium not installed' }, async () => {
  const out = join(work, 'nb');
  if (!existsSync(join(out, 'smoke.ipynb'))) assert.equal(workbook(['run', fixture('smoke'), '--out', out]).code, 0);
  const ex = await exportNotebook(join(out, 'smoke.ipynb'), ['html', 'pdf'], join(work, 'export'));
  const html = readFileSync(ex.html as string, 'utf8');
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  assert.match(svg, /<path/, 'the SVG figure keeps its marks (not stripped by the HTML sanitiser)');
  assert.match(html, /<table class="workbook-table">/);
  assert.equal(readFileSync(ex.pdf as string).subarray(0, 5).toString(), '%PDF-');
  assert.ok(statSync(ex.pdf as string).size > 10_000);
  const shot = decodePng(readFileSync(await screenshot(ex.html as string, join(work, 'shot.png'), '1000,1100')));
  assert.ok(countColour(shot, VEGA_BLUE) > 150, 'the figure is visible in the browser');
});

test('a failing cell stops the run and is reported with its number, source and message', () => {
  const r = workbook(['run', fixture('fails'), '--out', join(work, 'fail')]);
  assert.equal(r.code, 1);
  assert.match(r.out, /fails\.ipynb: cell 3 failed/);
  assert.match(r.out, /function explode\(n: number\)/);
  assert.match(r.out, /Error: deliberate failure with n=1/);
  assert.doesNotMatch(r.out, /never reached/);
});

test('bad parameters, a missing notebook and a missing Jupyter give clear errors', () => {
  const bad = workbook(['run', fixture('smoke'), '--param', 'points=many']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /parameter "points" of smoke must be a number/);
  const unknown = workbook(['run', fixture('smoke'), '--param', 'pionts=3']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.out, /unknown parameter "pionts"/);
  const malformed = workbook(['run', fixture('smoke'), '--param', 'points']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.out, /--param must look like key=value/);
  const profile = workbook(['run', fixture('smoke'), '--profile', 'huge']);
  assert.equal(profile.code, 2);
  assert.match(profile.out, /--profile must be one of quick, full/);
  const missing = workbook(['run', 'no-such-notebook']);
  assert.equal(missing.code, 2, 'an unknown notebook is a bad argument');
  assert.match(missing.out, /notebook "no-such-notebook" not found; available:/);
  const noJupyter = workbook(['run', fixture('smoke')], { WORKBOOK_PYTHON: '/nonexistent/python3' });
  assert.equal(noJupyter.code, 1);
  assert.match(noJupyter.out, /Jupyter \(nbconvert \+ nbclient\) was not found[\s\S]*apt-get install -y jupyter-nbconvert/);
});

test('doctor reports the toolchain', () => {
  const r = workbook(['doctor']);
  assert.match(r.out, /\[ok {2}\] Jupyter \(nbconvert\)/);
  assert.match(r.out, /tslab kernel/);
  assert.match(r.out, /tfjs-node-gpu \(optional\)/);
  assert.equal(r.code, 0, r.out);
});

test('paper notebooks are committed without outputs', () => {
  const tracked = execFileSync('git', ['ls-files', 'notebooks/*.ipynb'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of tracked) {
    const nb = readNotebook(join(root, f));
    assert.ok(nb.cells.every((c) => c.cell_type !== 'code' || ((c.outputs?.length ?? 0) === 0 && c.execution_count == null)), `${f} has outputs`);
  }
});

test('per-cell and whole-notebook time limits stop the run and say so', () => {
  const cell = workbook(['run', fixture('slow'), '--cell-timeout', '3', '--out', join(work, 'slow')]);
  assert.equal(cell.code, 1);
  assert.match(cell.out, /slow\.ipynb: cell 3 failed/);
  assert.match(cell.out, /timed out while it was being executed, after 3 seconds/);
  const started = Date.now();
  const whole = workbook(['run', fixture('slow'), '--timeout', '25', '--out', join(work, 'slow')]);
  assert.equal(whole.code, 1);
  assert.match(whole.out, /time(d)? ?(out|limit)/i);
  assert.ok(Date.now() - started < 55_000, 'stopped near the limit, not after the 60 s sleep');
  const leftovers = spawnSync('pgrep', ['-f', 'tslab kernel'], { encoding: 'utf8' }).stdout.trim();
  void leftovers; // other test files may run kernels concurrently; the check above is the one that matters
});

/** All descendants of `pid` (pid, command) from one `ps` snapshot. */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').filter(Boolean)
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)).filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), cmd: m[3] }));
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => rows.filter((r) => r.ppid === p).forEach((r) => { out.push(r); walk(r.pid); });
  walk(pid);
  return out;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('SIGTERM to the runner takes nbconvert and the tslab kernel down with it', async () => {
  const child = spawn(process.execPath, [cli, 'run', fixture('slow'), '--out', join(work, 'term')], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  let tree: { pid: number; cmd: string }[] = [];
  for (let i = 0; i < 120 && !tree.some((p) => p.cmd.includes('tslab kernel')); i++) {
    await new Promise((r) => setTimeout(r, 500));
    tree = descendants(child.pid ?? -1);
  }
  assert.ok(tree.some((p) => p.cmd.includes('tslab kernel')), `the kernel started: ${JSON.stringify(tree)}`);
  child.kill('SIGTERM');
  await exited;
  for (let i = 0; i < 20 && tree.some((p) => alive(p.pid)); i++) await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(tree.filter((p) => alive(p.pid)).map((p) => p.cmd), [], 'no process of the run survives');
});
