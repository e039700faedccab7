/**
 * Export treats a notebook's outputs as untrusted (issue 18, finding 1). test/fixtures/hostile.ipynb carries outputs
 * written by hand (export does not execute it): text/html with <script>, handlers, <iframe src="file:///etc/passwd">,
 * <object>, <embed>, javascript: links, external references and style url(); an SVG with onload, <script>,
 * <foreignObject> and file:/external images; a JavaScript output; a Markdown output and raw cell with scripts.
 * The HTML must hold none of it (only the export's own, nonce-carrying MathJax scripts), and the PDF printed from it
 * must show none of what those payloads would have written or loaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { exportNotebook, findChromium } from '../../lib/workbook/index.js';
import { assertOnlyOwnScripts } from '../../lib/workbook/export.js';
import { findJupyterPython } from '../../lib/workbook/toolchain.js';

const fixture = join(projectRoot(), 'test', 'fixtures', 'hostile.ipynb');
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const skip = !findJupyterPython() ? 'Jupyter not installed' : !findChromium() ? 'chromium not installed' : !hasPdftotext ? 'pdftotext (poppler-utils) not installed' : false;

/** What the payloads would write into the page if they ran (the sources spell them split, e.g. 'HTML-' + 'SCRIPT-RAN'). */
const RAN = ['SCRIPT-RAN', 'ONLOAD-RAN', 'ONERROR-RAN', 'JS-RAN', 'OUTPUT-RAN'];

test('export of a hostile notebook: no payload in the HTML, none ran or loaded in the PDF', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'workbook-hostile-'));
  const ex = await exportNotebook(fixture, ['html', 'pdf'], out);
  const html = readFileSync(ex.html as string, 'utf8');

  // Scripts: only the template's MathJax loader and configuration, both carrying the page's CSP nonce.
  const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(html)?.[1];
  assert.ok(nonce, 'the page has a Content-Security-Policy with a nonce');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
  assert.ok(scripts.length >= 1 && scripts.every((s) => s.includes(`nonce="${nonce}"`)), `only own scripts: ${scripts.join(' ')}`);
  assert.ok(scripts.some((s) => /mathjax/i.test(s)), 'the math script is kept');
  assert.doesNotThrow(() => assertOnlyOwnScripts(html));

  const body = html.slice(html.indexOf('<body'));
  for (const payload of [
    'document.body.append', 'alert(', '<script', '<iframe', '<object', '<embed', '<foreignObject', '<animate', '<set ',
    '<form', '<base', '<link', 'http-equiv="refresh"', 'javascript:', 'file:', 'attacker.example', '/etc/passwd',
    '/etc/hostname', 'url(file', 'require.min.js',
  ]) {
    assert.ok(!body.toLowerCase().includes(payload.toLowerCase()), `the exported body holds ${JSON.stringify(payload)}`);
  }
  assert.doesNotMatch(body, /<[a-z][^>]*\son(load|error|click|mouseover)\s*=/i, 'no event handler attribute');
  // The harmless parts survive: text, the SVG's shapes, an allowed style.
  for (const kept of ['SAFE-HTML-TEXT', 'SAFE-SVG-TEXT', 'STYLED-TEXT', 'HANDLER-TEXT', 'MD-OUTPUT-TEXT', 'HOSTILE-FIXTURE-TITLE']) {
    assert.ok(body.includes(kept), `${kept} is kept`);
  }
  assert.match(body, /<svg[^>]*><rect [^>]*fill="#4c78a8"/, 'the SVG keeps its shapes');
  assert.match(body, /style="color: red"/, 'a harmless style is kept, the url() beside it is not');

  // The PDF: nothing a payload would have written, nothing of /etc/passwd.
  const text = execFileSync('pdftotext', ['-layout', ex.pdf as string, '-'], { encoding: 'utf8' });
  assert.match(text, /SAFE-HTML-TEXT/, 'pdftotext reads the PDF');
  for (const marker of RAN) assert.ok(!text.includes(marker), `the PDF shows ${marker}: a payload ran`);
  assert.ok(!/root:x?:0:0/.test(text) && !text.includes('/bin/bash') && !text.includes('nologin'), 'the PDF shows /etc/passwd');
});

test('assertOnlyOwnScripts refuses a page with a script that is not the export\'s own', () => {
  const head = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuvwx'">`;
  assert.doesNotThrow(() => assertOnlyOwnScripts(`${head}<script nonce="abcdefghijklmnopqrstuvwx" src="m.js"></script>`));
  assert.throws(() => assertOnlyOwnScripts(`${head}<script nonce="abcdefghijklmnopqrstuvwx"></script><SCRIPT>x()</SCRIPT>`), /not the export's own/);
  assert.throws(() => assertOnlyOwnScripts('<html><script>x()</script>'), /no Content-Security-Policy/);
});
