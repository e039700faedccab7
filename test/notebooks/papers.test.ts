/**
 * Every paper notebook, executed in the quick profile as CI does — its numbers compared with the committed expected
 * values (test/expected/<paper>.quick.json, lib/workbook/expected.ts) and every figure it drew checked against the
 * figure style (test/helpers/figure-check.ts) — then the ZEPE notebook exported to HTML and PDF and opened in
 * headless Chromium: its figures must be visible in the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { exportNotebook, findChromium, listNotebooks, readNotebook, screenshot } from '../../lib/workbook/index.js';
import { compareExpected, expectedPath, formatMismatches, readExpected, type ResultsLike } from '../../lib/workbook/expected.js';
import { resultsFigureProblems } from '../helpers/figure-check.js';
import { countColour, decodePng } from '../helpers/png.js';

const root = projectRoot();
const work = mkdtempSync(join(tmpdir(), 'workbook-papers-'));
const notebooksOut = join(root, 'build', 'quick', 'notebooks');

for (const nb of listNotebooks()) {
  const name = basename(nb, '.ipynb');
  test(`notebook ${name} runs in the quick profile, reproduces its expected values, draws its figures in style`, async (t) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'workbook.js'), 'run', name, '--profile', 'quick'], {
      cwd: root, encoding: 'utf8', timeout: 20 * 60_000,
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const results = JSON.parse(readFileSync(join(root, 'build', 'quick', 'figures', name, 'results.json'), 'utf8'));
    assert.equal(results.provenance.profile, 'quick');
    assert.ok(Object.keys(results.figures).length > 0, 'at least one figure');
    for (const fig of Object.values(results.figures) as { files: string[] }[]) {
      for (const f of fig.files) assert.ok(existsSync(join(root, 'build', 'quick', 'figures', f)), `${f} written`);
    }
    const executed = readNotebook(join(notebooksOut, `${name}.ipynb`));
    assert.equal(executed.metadata.workbook?.profile, 'quick');

    const figures = resultsFigureProblems(join(root, 'build', 'quick', 'figures'), results);
    assert.deepEqual(figures.problems, [], `figure style of ${name}'s quick-profile figures`);

    const expected = readExpected(expectedPath(name));
    assert.ok(expected, `test/expected/${name}.quick.json exists (create it: npx workbook run ${name} --profile quick --update-expected)`);
    const cmp = compareExpected(expected, results as ResultsLike);
    assert.equal(cmp.setup, null, cmp.setup ?? '');
    if (cmp.skipped) t.diagnostic(`${name}: ${cmp.skipped.count} backend-dependent values not compared: ${cmp.skipped.reason}`);
    if (cmp.compared === 0 && cmp.skipped) {
      t.skip(`${name}: every expected value depends on the backend, and ${cmp.skipped.reason}`);
      return;
    }
    assert.ok(cmp.compared > 0, 'some values compared');
    assert.equal(cmp.mismatches.length, 0, formatMismatches(name, cmp.mismatches));
  });
}

test('the ZEPE notebook exports to HTML and PDF with its figures visible', { skip: findChromium() ? false : 'chromium not installed' }, async () => {
  const executed = join(notebooksOut, 'zepe.ipynb');
  if (!existsSync(executed)) {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'workbook.js'), 'run', 'zepe', '--profile', 'quick'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  }
  const ex = await exportNotebook(executed, ['html', 'pdf'], join(work, 'export'));
  const html = readFileSync(ex.html as string, 'utf8');
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(svgs.length >= 5, `figures inlined as SVG (found ${svgs.length})`);
  assert.ok(svgs.filter((s) => s.includes('class="marks"')).every((s) => /<path/.test(s)), 'every chart SVG keeps its marks');
  assert.equal(readFileSync(ex.pdf as string).subarray(0, 5).toString(), '%PDF-');
  const shot = decodePng(readFileSync(await screenshot(ex.html as string, join(work, 'zepe.png'), '1100,2600')));
  assert.ok(countColour(shot, [76, 120, 168]) > 300, 'Fig. 1 is visible in the page');
  assert.ok(countColour(shot, [245, 133, 24]) > 300, 'the second curve is visible in the page');
});
