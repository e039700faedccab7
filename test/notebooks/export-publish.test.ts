/**
 * Publishable export (issue 17, item 5). The notebook under test is built here with real outputs of the library:
 * ZEPE's Lemma 2 erratum table (the widest table of the workbook: 7 columns, rendered by toHtmlTable as the notebook
 * shows it) and a line chart rendered by renderSvg, plus Markdown with inline and display math, a code line far
 * wider than the page, and a stream with an unbreakable 300-character token. Its metadata names the paper (zepe)
 * and points `outDir` at a folder holding a results.json with a known provenance.
 *
 * Checked against what each feature must produce, independently of the export's code:
 * - the HTML is one self-contained file (no file: reference, every script the export's own, MathJax inlined), and a
 *   copy opened from another folder typesets every formula (MathJax's SVG output elements, one per formula of the
 *   source; no `$` or `\(` left in the rendered text) and shows the figure (its blue line in a screenshot);
 * - the PDF (pdfinfo, pdftotext): A4 by default (595 × 842 pt), US Letter with paper 'letter' (612 × 792 pt); no
 *   "Loading" or "MathJax" text; page 1 holds the paper's title from docs/papers/zepe.md, its authors and the
 *   provenance of results.json; the execution count "In [7]:"; the end of the long code line and of the long token
 *   (they wrapped instead of being cut); every value of the table's last column;
 * - in the print layout, no element reaches past the printable width (the export's own check, and the table's box);
 * - noInput hides the code but keeps the outputs;
 * - `workbook run --out X` then `workbook export --out X` find the run and write beside it; the executed cells are
 *   numbered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../lib/core/index.js';
import { lemma2Erratum } from '../../lib/papers/zepe/index.js';
import { columnsOf, inlineData, lineChart, renderSvg, toHtmlTable } from '../../lib/plot/index.js';
import { Browser } from '../../lib/workbook/browser.js';
import { exportNotebook, fitToPage, settle } from '../../lib/workbook/export.js';
import { parseCitation } from '../../lib/workbook/export-meta.js';
import { readNotebook, type Notebook } from '../../lib/workbook/notebook.js';
import { findChromium, findJupyterPython } from '../../lib/workbook/toolchain.js';
import { countColour, decodePng } from '../helpers/png.js';

const root = projectRoot();
const has = (tool: string) => spawnSync(tool, ['-v']).error === undefined;
const skip = !findJupyterPython() ? 'Jupyter not installed' : !findChromium() ? 'chromium not installed'
  : !has('pdftotext') || !has('pdfinfo') ? 'poppler-utils not installed' : false;
const work = mkdtempSync(join(tmpdir(), 'workbook-publish-'));
const VEGA_BLUE: [number, number, number] = [76, 120, 168];

const LONG_LINE = `const x = [${Array.from({ length: 60 }, (_, i) => i * 7).join(', ')}]; // END-OF-LONG-LINE`;
const LONG_TOKEN = `${'A1b2C3d4'.repeat(37)}TOKEN-END`;
/**
 * The formulas of the Markdown cell, in the delimiters Jupyter's Markdown keeps for MathJax (nbconvert's
 * markdown_mistune: a single backslash before a parenthesis is a Markdown escape, so it is written doubled):
 * 2 inline ($…$ and \\(…\\)) and 2 displayed ($$…$$ and an equation environment).
 */
const MATH_MD = [
  '## Math',
  'The rate $R(D) = \\min_{Q_{Y|X}} I(X;Y)$ and \\\\(D_p(R) = 2\\sigma^2(1 - \\sqrt{1 - 2^{-2R}})\\\\).',
  '$$\\pi(x, y) = a(x) e^{-\\lambda d(x,y)} b(y)$$',
  '\\begin{equation}\\sum_y Q(y \\mid x) = 1\\end{equation}',
].join('\n\n');
const FORMULAS = 4;

async function buildFixture(): Promise<{ path: string; lastColumn: string[]; startedAt: string }> {
  const rows = lemma2Erratum();
  const cols = columnsOf(rows);
  assert.equal(cols.length, 7, 'the Lemma 2 table has 7 columns');
  const table = toHtmlTable(rows, cols, 4, 'Lemma 2 residuals');
  // The digits the table shows in its last column, read back from the table's own HTML (its last cell of each row).
  const lastColumn = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1)
    .map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].pop()?.[1] ?? '');
  assert.equal(lastColumn.length, rows.length);
  const points = Array.from({ length: 20 }, (_, i) => ({ x: i, y: i * i, series: 'square' }));
  const chart = lineChart({
    title: 'Publish fixture', x: { field: 'x' }, y: { field: 'y' }, color: { field: 'series' },
  });
  const svg = await renderSvg(inlineData(chart, points));
  const results = join(work, 'figures');
  const startedAt = '2026-11-30T09:15:00.000Z';
  mkdirSync(join(results, 'zepe'), { recursive: true });
  writeFileSync(join(results, 'zepe', 'results.json'), JSON.stringify({
    paper: 'zepe',
    provenance: {
      commit: '0123456789abcdef0123', dirty: false, profile: 'quick', seed: 2025, backend: 'test backend', startedAt,
      wallSeconds: 12.3, node: 'v20', platform: 'linux-x64',
    },
  }));
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      workbook: { paper: 'zepe', profile: 'quick', parameters: { outDir: results } },
    },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# Publish fixture: a notebook heading' },
      { cell_type: 'markdown', metadata: {}, source: MATH_MD },
      {
        cell_type: 'code', metadata: {}, execution_count: 7, source: `${LONG_LINE}\nconsole.log(token);`,
        outputs: [{ output_type: 'stream', name: 'stdout', text: `${LONG_TOKEN}\n` }],
      },
      {
        cell_type: 'code', metadata: {}, execution_count: 8, source: 'await run.table(\'lemma2_erratum\', erratum);',
        outputs: [{ output_type: 'display_data', metadata: {}, data: { 'text/html': table, 'text/plain': 'table' } }],
      },
      {
        cell_type: 'code', metadata: {}, execution_count: 9, source: 'await run.figure(\'fixture\', spec, rows);',
        outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': svg, 'text/plain': 'fig' } }],
      },
    ],
  };
  const path = join(work, 'publish.ipynb');
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return { path, lastColumn, startedAt };
}

const pdfText = (pdf: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), pdf, '-'],
    { encoding: 'utf8' });
const pageSize = (pdf: string) => {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)?.slice(1).map(Number);
};

test('parseCitation: title, authors and the citation sentence from a Citation section', () => {
  const md = '# X\n\n## Citation\n\nA. One and B. Two, "A Title:\nWith Lines", arXiv:2410.08222 [cs.IT], 2025. '
    + 'More text.\n\n## Next\n';
  assert.deepEqual(parseCitation(md), {
    title: 'A Title: With Lines', authors: 'A. One and B. Two',
    citation: 'A. One and B. Two, "A Title: With Lines", arXiv:2410.08222 [cs.IT], 2025.',
  });
  const emphasised = parseCitation('## Citation\n\nC. Three. *Emphasised Title.* Venue, 2024.\n');
  assert.equal(emphasised?.title, 'Emphasised Title');
  assert.equal(parseCitation('# no citation here\n'), null);
  const zepe = parseCitation(readFileSync(join(root, 'docs', 'papers', 'zepe.md'), 'utf8'));
  assert.equal(zepe?.title, 'Zero Perception Error Rate-Distortion for Semantic Communication');
});

const slow = { skip, timeout: 300_000 };

test('export: self-contained HTML, math and figure render; A4 PDF, title page, nothing clipped', slow, async () => {
  const { path, lastColumn } = await buildFixture();
  const ex = await exportNotebook(path, ['html', 'pdf'], join(work, 'out'));
  const html = readFileSync(ex.html as string, 'utf8');
  // (assert.ok, not match: a failure message holding 3 MB of HTML helps nobody)
  assert.ok(!/file:\/\//i.test(html), 'no file:// reference (MathJax used to come from file:///usr/share/javascript)');
  assert.ok(!/content="[^"]*file:/.test(html), 'the Content-Security-Policy allows nothing from files');
  assert.ok(!/<script\b[^>]*\bsrc=/i.test(html), 'no script is loaded from elsewhere');
  assert.ok(html.length > 2_000_000 && html.includes('MathJax'), 'MathJax is inlined');
  assert.match(html, /<title>Zero Perception Error Rate-Distortion for Semantic Communication<\/title>/);

  // A copy in another folder, alone: everything it shows comes from the file itself.
  const elsewhere = mkdtempSync(join(tmpdir(), 'workbook-elsewhere-'));
  const copy = join(elsewhere, 'copy.html');
  copyFileSync(ex.html as string, copy);
  const browser = await Browser.launch({ network: 'none' });
  try {
    const page = await browser.newPage();
    await page.setViewport(1100, 1800);
    await page.goto(pathToFileURL(copy).href);
    const state = await settle(page);
    assert.equal(state.mathjax, 'typeset');
    const math = await page.evaluate<{ containers: number; svgs: number; display: number; raw: string }>(`(() => {
      const md = [...document.querySelectorAll('.jp-MarkdownCell')].find((c) => c.textContent.includes('The rate'));
      return {
        containers: md.querySelectorAll('mjx-container').length,
        svgs: md.querySelectorAll('mjx-container > svg').length,
        display: md.querySelectorAll('mjx-container[display="true"]').length,
        raw: md.innerText,
      };
    })()`);
    assert.equal(math.containers, FORMULAS, 'one MathJax output element per formula');
    assert.equal(math.svgs, FORMULAS, 'each formula drawn as SVG');
    assert.equal(math.display, 2, 'two displayed formulas');
    assert.doesNotMatch(math.raw, /\$|\\\(|\\\[|\\sigma|\\min|\\begin/, 'no TeX source left in the rendered text');
    const problems = page.log.filter((l) => /tried to load|exception/.test(l));
    assert.deepEqual(problems, [], 'MathJax fetched nothing, the page threw nothing');
    await page.evaluate(`document.querySelector('.jp-RenderedSVG svg').scrollIntoView()`);
    const shot = decodePng(await page.screenshot(1100, 1800));
    assert.ok(countColour(shot, VEGA_BLUE) > 150, 'the figure is drawn');
    // The print layout: the export's check, and the table's own box, against the printable width of A4.
    const overflow = await fitToPage(page, 'a4');
    assert.deepEqual(overflow, [], 'nothing reaches past the printable width');
    const width = Math.floor((8.27 - 1) * 96);
    const tableRight = await page.evaluate<number>(
      `document.querySelector('.jp-OutputArea-output table').getBoundingClientRect().right`,
    );
    assert.ok(tableRight <= width + 1, `the 7-column table fits (right edge ${tableRight} ≤ ${width})`);
  } finally {
    await browser.close();
  }

  const pdf = ex.pdf as string;
  const size = pageSize(pdf);
  assert.ok(size && Math.abs(size[0] - 595.3) < 1.5 && Math.abs(size[1] - 841.9) < 1.5, `A4 by default, got ${size}`);
  const text = pdfText(pdf);
  assert.doesNotMatch(text, /Loading|MathJax/i, 'no MathJax message anywhere');
  assert.doesNotMatch(text, /\$R\(D\)|\\min|\\begin|\\sigma/, 'the PDF shows typeset math, not TeX source');
  const first = pdfText(pdf, 1).replace(/\s+/g, ' ');
  for (const s of [
    'Zero Perception Error Rate-Distortion for Semantic Communication', 'Jinho Choi', 'Seong-Lyun Kim',
    'preprint, 2025',
    'commit 0123456789ab', 'profile quick', '2026-11-30 09:15 UTC', 'Publish fixture: a notebook heading',
  ]) {
    assert.ok(first.includes(s), `page 1 shows ${JSON.stringify(s)}:\n${first}`);
  }
  assert.doesNotMatch(first, /END-OF-LONG-LINE/, 'the notebook starts on page 2');
  const flat = text.replace(/\s+/g, '');
  assert.ok(text.includes('In [7]:'), 'execution counts are shown');
  assert.ok(flat.includes('//END-OF-LONG-LINE'), 'the long code line wrapped, its end is printed');
  assert.ok(flat.includes(LONG_TOKEN), 'the long output token wrapped, all of it is printed');
  for (const v of lastColumn) assert.ok(flat.includes(v), `the table's last column shows ${v}`);
});

test('export: --paper letter and --no-input', slow, async () => {
  const { path } = await buildFixture();
  const ex = await exportNotebook(path, ['html', 'pdf'], join(work, 'letter'), { paper: 'letter', noInput: true });
  const size = pageSize(ex.pdf as string);
  assert.ok(size && Math.abs(size[0] - 612) < 1 && Math.abs(size[1] - 792) < 1, `US Letter, got ${size}`);
  const html = readFileSync(ex.html as string, 'utf8');
  assert.ok(!html.includes('END-OF-LONG-LINE') && !html.includes('run.table'), 'no code cell source');
  assert.ok(html.includes('TOKEN-END') && html.includes('Lemma 2 residuals'), 'the outputs are kept');
  assert.match(html, /@page \{ size: letter;/);
  const a5 = exportNotebook(path, ['html'], join(work, 'bad'), { paper: 'a5' as 'a4' });
  await assert.rejects(a5, /paper must be one of a4, letter/);
});

test('run --out X, then export --out X: the same folder; executed cells are numbered', slow, () => {
  const dir = join(work, 'run-out');
  const cli = join(root, 'bin', 'workbook.js');
  const workbook = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  const smoke = join(root, 'test', 'fixtures', 'smoke.ipynb');
  const run = workbook('run', smoke, '--out', dir, '--quiet', '--export', 'html');
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.ok(existsSync(join(dir, 'smoke.html')), 'run --export writes beside the executed notebook');
  const code = readNotebook(join(dir, 'smoke.ipynb')).cells.filter((c) => c.cell_type === 'code');
  const counts = code.map((c) => c.execution_count);
  assert.deepEqual(counts, counts.map((_, i) => i + 1), 'the kernel\'s execution counts are recorded');
  const exp = workbook('export', 'smoke', '--out', dir, '--to', 'pdf');
  assert.equal(exp.status, 0, `${exp.stdout}${exp.stderr}`);
  assert.ok(existsSync(join(dir, 'smoke.pdf')), 'export --out finds the run and writes beside it');
  const missing = workbook('export', 'smoke', '--out', join(work, 'empty'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no executed notebook at .*empty\/smoke\.ipynb: run `workbook run smoke --profile quick/,
    'the message names the command that writes it');
});
