/**
 * `workbook notebook` end to end (issue 17, items 1 and 3): the command serves notebooks/ in the classic Jupyter
 * Notebook with the project's tslab kernel; headless Chromium (driven over the DevTools protocol,
 * lib/workbook/browser.ts) opens notebooks/zepe.ipynb through the Notebook UI, runs its first cells (parameters,
 * imports, Fig. 1) on the kernel, and the chart is checked visible: an SVG of real size in the cell's output, and
 * the figure's blue line in a screenshot of the page. Afterwards nothing in the repository has changed
 * (`git status --porcelain`, compared before and after) and the server, its kernel and the command have exited.
 *
 * Trust (item 3), checked by the Notebook itself (`Jupyter.notebook.trusted`, computed by the server from the
 * user's signature database): a notebook written by `workbook run` opens trusted and shows its SVG; the same
 * notebook changed by one byte opens untrusted, shows no SVG, and still shows the chart, as the PNG that every
 * display bundle now carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { Browser, type Page } from '../../lib/workbook/browser.js';
import { serverVersion } from '../../lib/workbook/notebook-server.js';
import { descendantPids } from '../../lib/workbook/runner.js';
import { findChromium, findJupyterPython } from '../../lib/workbook/toolchain.js';
import { isTrusted } from '../../lib/workbook/trust.js';
import { countColour, decodePng } from '../helpers/png.js';

const root = projectRoot();
const cli = join(root, 'bin', 'workbook.js');
const py = findJupyterPython();
const skip = !py ? 'Jupyter not installed' : !serverVersion('notebook', py.python) ? 'jupyter-notebook not installed'
  : !findChromium() ? 'chromium not installed' : false;
const VEGA_BLUE: [number, number, number] = [76, 120, 168]; // #4c78a8, the first series colour

interface Served { child: ChildProcess; base: string; token: string; out: () => string }

/** Start `workbook notebook` and resolve once it printed its URL. */
function startServer(args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'notebook', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${out}`)), 90_000);
    const seen = (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/tree\?token=([0-9a-f]{32,})/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], token: m[2], out: () => out });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workbook notebook exited (${code}):\n${out}`));
    });
  });
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** SIGTERM the command (as Ctrl-C would) and check that it, the server and the kernels all exit. */
async function stopServer(s: Served): Promise<void> {
  const family = descendantPids(s.child.pid as number);
  assert.ok(family.length >= 1, 'the Jupyter server runs under the command');
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  assert.equal(await exited, 0, `workbook notebook exits 0 when stopped:\n${s.out()}`);
  const until = Date.now() + 15_000;
  while (family.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(family.filter(alive), [], 'the server and its kernels have exited');
  await assert.rejects(fetch(`${s.base}/api/status`), 'nothing listens on the port any more');
}

/** Open a notebook in the classic UI and wait until its kernel is connected. */
async function openNotebook(page: Page, s: Served, path: string): Promise<void> {
  await page.goto(`${s.base}/notebooks/${path}?token=${s.token}`);
  await page.waitFor('window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded', 60_000, 'the notebook');
  // Never save: the test must leave the repository as it was.
  await page.evaluate('Jupyter.notebook.set_autosave_interval(0)');
  await page.waitFor('Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()', 60_000, 'the kernel');
}

const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
const slow = { skip, timeout: 300_000 };

test('workbook notebook serves notebooks/; ZEPE\'s first cells run on the kernel and draw Fig. 1', slow, async () => {
  const before = gitStatus();
  const s = await startServer();
  assert.match(s.out(), /Jupyter Notebook [\d.]+ serving .*notebooks with the tslab kernel/);
  const specs = await fetch(`${s.base}/api/kernelspecs`, { headers: { Authorization: `token ${s.token}` } });
  const spec = await specs.json() as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
  const tslab = join('node_modules', 'tslab', 'bin', 'tslab');
  assert.ok(spec.kernelspecs.tslab.spec.argv[1].endsWith(tslab), 'the project\'s tslab kernel');
  assert.equal((await fetch(`${s.base}/api/contents`)).status, 403, 'the API refuses requests without the token');

  const browser = await Browser.launch({ network: 'loopback' });
  try {
    const page = await browser.newPage();
    await page.setViewport(1200, 1400);
    await openNotebook(page, s, 'zepe.ipynb');
    assert.equal(await page.evaluate('Jupyter.notebook.kernel.name'), 'tslab');
    // Cells 1, 2, 4 (0-based): the parameters, the imports and the run, Fig. 1.
    const fig = 4;
    assert.match(await page.evaluate<string>(`Jupyter.notebook.get_cell(${fig}).get_text()`), /zepe\.fig1\(points\)/);
    await page.evaluate(`Jupyter.notebook.execute_cells([1, 2, ${fig}])`);
    const ran = `Jupyter.notebook.get_cell(${fig}).input_prompt_number > 0 && Jupyter.notebook.kernel_busy === false`;
    await page.waitFor(ran, 180_000, 'Fig. 1 to run');
    const errors = await page.evaluate<string[]>(`Jupyter.notebook.get_cells()
      .flatMap((c) => (c.output_area ? c.output_area.outputs : []))
      .filter((o) => o.output_type === 'error' || o.name === 'stderr').map((o) => o.ename || o.text)`);
    assert.deepEqual(errors, [], 'the cells ran without error');
    const chart = await page.evaluate<{ w: number; h: number; paths: number; top: number } | null>(`(() => {
      const svg = Jupyter.notebook.get_cell(${fig}).element[0].querySelector('.output_subarea svg');
      if (!svg) return null;
      svg.scrollIntoView({ block: 'start' });
      const r = svg.getBoundingClientRect();
      return { w: r.width, h: r.height, paths: svg.querySelectorAll('path').length, top: r.top };
    })()`);
    assert.ok(chart, 'Fig. 1 is in the cell\'s output as an SVG');
    assert.ok(chart.w > 300 && chart.h > 150 && chart.paths > 5, `real size, with marks: ${JSON.stringify(chart)}`);
    const shot = decodePng(await page.screenshot(1200, 1400));
    assert.ok(countColour(shot, VEGA_BLUE) > 150, 'the chart\'s blue curve is visible on screen');
  } finally {
    await browser.close();
    await stopServer(s);
  }
  assert.equal(gitStatus(), before, 'the repository is unchanged (nothing saved, outputs under build/ only)');
});

test('a notebook from workbook run opens trusted; changed, untrusted, it shows the chart as PNG', slow, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-trust-'));
  const smoke = join(root, 'test', 'fixtures', 'smoke.ipynb');
  const run = spawnSync(process.execPath, [cli, 'run', smoke, '--out', dir, '--quiet'],
    { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  const signed = join(dir, 'smoke.ipynb');
  assert.equal(await isTrusted(signed), true, 'nbformat finds the signature of the executed notebook');
  const nb = JSON.parse(readFileSync(signed, 'utf8')) as { metadata: Record<string, unknown> };
  nb.metadata.edited = true; // any change invalidates the signature
  writeFileSync(join(dir, 'changed.ipynb'), JSON.stringify(nb, null, 1));
  assert.equal(await isTrusted(join(dir, 'changed.ipynb')), false, 'a changed notebook is not trusted');

  const s = await startServer(['--notebook-dir', dir]);
  const browser = await Browser.launch({ network: 'loopback' });
  try {
    const page = await browser.newPage();
    const look = `(() => {
      const area = [...document.querySelectorAll('.output_subarea')];
      const shown = (e) => e.getBoundingClientRect().width > 100;
      const svg = area.flatMap((a) => [...a.querySelectorAll('svg')]).filter(shown);
      const png = area.flatMap((a) => [...a.querySelectorAll('img')])
        .filter((i) => i.src.startsWith('data:image/png') && i.naturalWidth > 100 && shown(i));
      const pngWidth = png.length ? png[0].getBoundingClientRect().width : 0;
      return { trusted: Jupyter.notebook.trusted, svg: svg.length, png: png.length, pngWidth };
    })()`;
    await openNotebook(page, s, 'smoke.ipynb');
    const a = await page.evaluate<{ trusted: boolean; svg: number; png: number }>(look);
    assert.equal(a.trusted, true, 'the Notebook trusts what workbook run wrote');
    assert.ok(a.svg >= 1, `a trusted notebook shows the SVG: ${JSON.stringify(a)}`);
    await openNotebook(page, s, 'changed.ipynb');
    const b = await page.evaluate<{ trusted: boolean; svg: number; png: number; pngWidth: number }>(look);
    assert.equal(b.trusted, false, 'the changed copy is untrusted');
    assert.equal(b.svg, 0, 'the Notebook hides SVG output of an untrusted notebook');
    assert.equal(b.png, 1, `the chart is shown as the bundle's PNG: ${JSON.stringify(b)}`);
    const saved = readFileSync(join(root, 'build', 'quick', 'figures', 'smoke', 'parabola.svg'), 'utf8');
    const svgWidth = Number(/<svg[^>]*width="(\d+)"/.exec(saved)?.[1]);
    assert.ok(Math.abs(b.pngWidth - svgWidth) <= 1, `shown at the SVG's width (${b.pngWidth} vs ${svgWidth})`);
  } finally {
    await browser.close();
    await stopServer(s);
  }
});

const needsJupyter = { skip: py ? false : 'Jupyter not installed' };

test('no classic Notebook: doctor fails with the fix, workbook notebook says what to install', needsJupyter, () => {
  // A Python that has Jupyter but cannot import `notebook` (a stub module on its path raises ImportError).
  const dir = mkdtempSync(join(tmpdir(), 'workbook-nonotebook-'));
  writeFileSync(join(dir, 'notebook.py'), 'raise ImportError("notebook is not installed (test stub)")\n');
  const wrapper = join(dir, 'python3');
  const script = `#!/bin/sh\nPYTHONPATH=${dir}\${PYTHONPATH:+:$PYTHONPATH} exec ${py?.python} "$@"\n`;
  writeFileSync(wrapper, script, { mode: 0o755 });
  const env = { ...process.env, WORKBOOK_PYTHON: wrapper };
  const doctor = spawnSync(process.execPath, [cli, 'doctor'], { cwd: root, encoding: 'utf8', env });
  assert.equal(doctor.status, 1, doctor.stdout);
  assert.match(doctor.stdout, /\[FAIL\] Jupyter Notebook \(workbook notebook\): .* cannot import notebook\n\s+fix: /);
  assert.match(doctor.stdout, /fix: apt-get install -y jupyter-notebook\n/);
  const serve = spawnSync(process.execPath, [cli, 'notebook'], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(serve.status, 1);
  assert.match(serve.stderr, /classic Jupyter Notebook is not installed .* Fix: apt-get install -y jupyter-notebook/);
  const port = spawnSync(process.execPath, [cli, 'notebook', '--port', 'x'], { cwd: root, encoding: 'utf8' });
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port must be an integer/);
  const help = spawnSync(process.execPath, [cli, 'notebook', '--help'], { cwd: root, encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /workbook notebook \[--port N\] \[--notebook-dir DIR\]/);
});
