/**
 * `workbook export`: HTML through nbconvert (figures appear as SVG), PDF by printing that HTML in headless Chromium.
 *
 * A notebook's outputs are untrusted. nbconvert runs with workbook_export_config.py: outputs, Markdown and raw cells
 * are sanitised (lib/workbook/python/workbook_sanitize.py), JavaScript and widget outputs are dropped, and the page
 * carries a Content-Security-Policy under which only the template's own scripts (MathJax, with a per-export nonce)
 * run. The exported HTML is checked for foreign scripts before it is written out, and Chromium opens a copy of it
 * from a fresh temporary folder holding nothing else, with no network, no extensions.
 *
 * Publishing (lib/workbook/python/workbook_publish.py, lib/workbook/export-meta.ts): the page is self-contained
 * (MathJax 3 from the npm package `mathjax` is inlined), starts with the paper's title, citation and the run's
 * provenance, and is laid out for A4 (or US Letter). The PDF is printed through the DevTools protocol
 * (lib/workbook/browser.ts) only once MathJax has typeset the page, after anything still wider than the page
 * (a wide table, a long formula) has been scaled to fit: nothing is cut at the margin.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { assertOneOf, assertString, describe, projectRoot } from '../core/index.js';
import { PAPER_INCHES, withBrowserPage, type Page, type PaperSize } from './browser.js';
import { titlePageFor } from './export-meta.js';
import { readNotebook } from './notebook.js';
import { PROFILES, type Profile } from './runner.js';
import { jupyterEnv, requireJupyterPython } from './toolchain.js';
import { buildDir } from './build-dir.js';

export { chromiumFlags, requireChromium, runChromium } from './browser.js';

export type ExportFormat = 'html' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'pdf'];
export type { PaperSize } from './browser.js';
export const PAPER_SIZES = Object.keys(PAPER_INCHES) as PaperSize[];

export interface ExportOptions {
  /** Page size of the PDF and of the HTML's print layout (default 'a4'). */
  paper?: PaperSize;
  /** Hide code cells, keep their outputs (nbconvert's --no-input). */
  noInput?: boolean;
}

/**
 * Where `workbook run` writes executed notebooks and where `workbook export` reads them and writes its files: with
 * `--out DIR` both use DIR itself (run --out X, then export --out X finds the run, and the HTML/PDF land beside the
 * notebook); without it, build/<profile>/notebooks and build/<profile>/export.
 */
export function exportLocations(profile: Profile, out?: string): { executedDir: string; exportDir: string } {
  assertOneOf('profile', profile, PROFILES);
  if (out !== undefined) assertString('out', out);
  if (out) return { executedDir: resolve(out), exportDir: resolve(out) };
  const base = buildDir(profile);
  return { executedDir: join(base, 'notebooks'), exportDir: join(base, 'export') };
}

/** The combined MathJax 3 component inlined into every export (all TeX extensions, SVG output: no font files). */
export function mathjaxSource(): string {
  const req = createRequire(join(projectRoot(), 'package.json'));
  try {
    return req.resolve('mathjax/es5/tex-svg-full.js');
  } catch {
    throw new Error('the npm package mathjax (v3) is not installed: it is inlined into exported pages. Fix: npm ci');
  }
}

function checkPaper(paper: string): PaperSize {
  if (!(PAPER_SIZES as string[]).includes(paper)) {
    throw new RangeError(`paper must be one of ${PAPER_SIZES.join(', ')}, got ${JSON.stringify(paper)}`);
  }
  return paper as PaperSize;
}

export async function exportHtml(notebook: string, outDir: string, opts: ExportOptions = {}): Promise<string> {
  assertString('notebook', notebook);
  assertString('outDir', outDir);
  const py = requireJupyterPython();
  const paper = checkPaper(opts.paper ?? 'a4');
  mkdirSync(outDir, { recursive: true });
  const name = basename(notebook, '.ipynb');
  const templates = join(projectRoot(), 'lib', 'workbook', 'templates');
  const config = join(projectRoot(), 'lib', 'workbook', 'python', 'workbook_export_config.py');
  const args = [
    '-m', 'nbconvert', '--to', 'html', '--config', config, '--template', 'workbook',
    `--TemplateExporter.extra_template_basedirs=${templates}`,
  ];
  if (opts.noInput) args.push('--no-input');
  // Written to a private folder first: the page reaches outDir only once it has passed the script check.
  const staging = mkdtempSync(join(tmpdir(), 'workbook-export-'));
  try {
    const meta = join(staging, 'meta.json');
    const titlePage = titlePageFor(readNotebook(notebook), notebook);
    writeFileSync(meta, JSON.stringify({ ...titlePage, paper, mathjax: mathjaxSource() }));
    const res = await execa(py.python, [...args, '--output-dir', staging, '--output', name, resolve(notebook)], {
      env: jupyterEnv({ WORKBOOK_EXPORT_META: meta }),
      reject: false,
    });
    const staged = join(staging, `${name}.html`);
    if (res.exitCode !== 0 || !existsSync(staged)) {
      throw new Error(`HTML export of ${notebook} failed: ${String(res.stderr).slice(-2000)}`);
    }
    const html = readFileSync(staged, 'utf8');
    assertOnlyOwnScripts(html, notebook);
    assertSelfContained(html, notebook);
    const out = join(resolve(outDir), `${name}.html`);
    copyFileSync(staged, out);
    return out;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The exported page may hold only the template's own scripts: each <script> carries the nonce of the page's
 * Content-Security-Policy. Anything else means a sanitiser let a script through: refuse to export.
 */
export function assertOnlyOwnScripts(html: string, what = 'the export'): void {
  const csp = /<meta http-equiv="Content-Security-Policy" content="[^"]*'nonce-([A-Za-z0-9_-]{16,})'/.exec(html);
  if (!csp) {
    throw new Error(`${what}: the exported page has no Content-Security-Policy with a nonce (template not applied?)`);
  }
  const nonce = csp[1];
  const tags = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
  const foreign = tags.filter((tag) => !tag.includes(`nonce="${nonce}"`));
  if (foreign.length > 0) {
    throw new Error(`${what}: the exported page holds ${foreign.length} script(s) that are not the export's own, `
      + `e.g. ${foreign[0].slice(0, 120)}`);
  }
}

/** No reference to a file of this machine (file:///usr/share/javascript/mathjax...): the page must work anywhere. */
export function assertSelfContained(html: string, what = 'the export'): void {
  const m = /(?:src|href)\s*=\s*["']?\s*file:[^"'\s>]*/i.exec(html) ?? /file:\/\/\/[^"'\s<>)]*/i.exec(html);
  if (m) {
    throw new Error(`${what}: the exported page refers to a local file (${m[0].slice(0, 120)}): `
      + 'it would break on any other machine');
  }
}

/**
 * Open a copy of `html` in a fresh temporary folder that holds nothing else (the page is self-contained: figures
 * are inline SVG or data: images, MathJax is inlined), so the page's own folder offers nothing to read.
 */
async function withIsolatedPage<T>(html: string, fn: (url: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-page-'));
  try {
    const page = join(dir, 'page.html');
    copyFileSync(resolve(html), page);
    return await fn(pathToFileURL(page).href, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `settle` found: MathJax's state and the number of formulas it typeset. */
export interface PageState {
  mathjax: 'typeset' | 'absent';
  formulas: number;
}

/**
 * Wait until the page is final: MathJax's startup promise (it resolves once the initial typesetting is done),
 * then fonts and images. Throws if MathJax reports an error or its loading text is on the page.
 */
export async function settle(page: Page): Promise<PageState> {
  const state = await page.evaluate<PageState | { error: string }>(`(async () => {
    const mj = window.MathJax;
    let mathjax = 'absent';
    if (mj && mj.startup && mj.startup.promise) {
      try { await mj.startup.promise; } catch (e) { return { error: 'MathJax failed: ' + e }; }
      mathjax = 'typeset';
    } else if (mj) {
      return { error: 'MathJax is on the page but did not start (no startup promise)' };
    }
    await document.fonts.ready;
    await Promise.all([...document.images].map((im) => im.decode().catch(() => undefined)));
    return { mathjax, formulas: document.querySelectorAll('mjx-container').length };
  })()`);
  if ('error' in state) throw new Error(state.error);
  const loading = await page.evaluate<boolean>(
    '/Loading \\[MathJax\\]|\\[MathJax\\]\\/extensions/.test(document.body.innerText)',
  );
  if (loading) throw new Error('the page still shows MathJax\'s loading message');
  return state;
}

/** An element still wider than the page after fitting: a CSS selector-like description and its overflow in px. */
export interface Overflow { what: string; overBy: number }

/**
 * Lay the page out as printed on `paper`, scale every code block, table, figure or formula that is wider than the
 * space it has (CSS zoom, which re-flows the layout), and return what still sticks out past the printable width.
 */
export async function fitToPage(page: Page, paper: PaperSize): Promise<Overflow[]> {
  const width = await page.emulatePrint(paper);
  return page.evaluate<Overflow[]>(`(() => {
    const limit = ${width};
    const describe = (el) => {
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
      return [el.tagName.toLowerCase(), ...cls].join('.');
    };
    // The factor by which el must shrink to fit the room its parent gives it (1: it fits). The parent may itself be
    // stretched past the page by el, so its right edge counts only up to the page's; its padding is kept.
    // (A zoomed element reports its box zoomed and its scrollWidth unzoomed.)
    const shrink = (el) => {
      const parent = el.parentElement || document.body;
      const cs = getComputedStyle(parent);
      const inner = parseFloat(cs.paddingRight) + parseFloat(cs.borderRightWidth);
      const right = Math.min(limit, parent.getBoundingClientRect().right) - inner;
      const r = el.getBoundingClientRect();
      const zoom = Number(el.style.zoom || 1);
      const need = Math.max(r.width, el.scrollWidth * zoom);
      const room = right - r.left;
      return room > 0 && need > room + 0.5 ? room / need : 1;
    };
    const fit = (el) => {
      for (let i = 0; i < 4; i++) {
        const f = shrink(el);
        if (f >= 1) return;
        el.style.zoom = String(Math.floor(Number(el.style.zoom || 1) * f * 1000) / 1000);
      }
    };
    // Tables: header words may break after '_' and between camelCase parts (<wbr>, in this printed copy only); then
    // the table is scaled to fit. Breaking words anywhere is the last resort, for a table that would shrink below 45 %.
    for (const th of document.querySelectorAll('.jp-RenderedHTMLCommon th')) {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      const texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      for (const t of texts) {
        const parts = t.nodeValue.split(/(?<=_)|(?<=[a-z])(?=[A-Z])/);
        if (parts.length < 2) continue;
        const frag = document.createDocumentFragment();
        parts.forEach((p, i) => {
          if (i > 0) frag.appendChild(document.createElement('wbr'));
          frag.appendChild(document.createTextNode(p));
        });
        t.replaceWith(frag);
      }
    }
    for (const t of document.querySelectorAll('.jp-RenderedHTMLCommon table')) {
      t.classList.add('wb-fitted');
      if (shrink(t) < 0.45) t.classList.add('wb-anywhere');
    }
    const wide = 'table, pre, svg, img, mjx-container, .jp-RenderedHTMLCommon > *';
    for (const el of document.querySelectorAll(wide)) {
      if (el.parentElement && el.parentElement.closest('svg, mjx-container, table')) continue;
      fit(el);
    }
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 1) out.push({ what: describe(el), overBy: Math.round(r.right - limit) });
    }
    return out;
  })()`);
}

export async function htmlToPdf(html: string, pdf: string, opts: Pick<ExportOptions, 'paper'> = {}): Promise<string> {
  assertString('html', html);
  assertString('pdf', pdf);
  const paper = checkPaper(opts.paper ?? 'a4');
  const target = resolve(pdf);
  mkdirSync(dirname(target), { recursive: true });
  await withIsolatedPage(html, (url) =>
    withBrowserPage({ network: 'none' }, async (page) => {
      await page.goto(url);
      await settle(page);
      const overflow = await fitToPage(page, paper);
      if (overflow.length > 0) {
        const e = overflow[0];
        process.stderr.write(`warning: ${basename(html)}: ${overflow.length} element(s) still wider than the page, `
          + `e.g. ${e.what} by ${e.overBy} px\n`);
      }
      writeFileSync(target, await page.pdf(paper));
    }),
  );
  return target;
}

/** A screenshot of the top of the page (`size` = "width,height" in CSS px), taken once MathJax has typeset it. */
export async function screenshot(html: string, png: string, size = '1200,1600'): Promise<string> {
  assertString('html', html);
  assertString('png', png);
  const m = typeof size === 'string' ? /^(\d{1,5}),(\d{1,5})$/.exec(size) : null;
  if (!m || [m[1], m[2]].some((v) => Number(v) < 1 || Number(v) > 16384)) {
    throw new RangeError(`size must be "width,height" in pixels (1..16384), got ${describe(size)}`);
  }
  const [w, h] = size.split(',').map(Number);
  const target = resolve(png);
  mkdirSync(dirname(target), { recursive: true });
  await withIsolatedPage(html, (url) =>
    withBrowserPage({ network: 'none' }, async (page) => {
      await page.setViewport(w, h);
      await page.goto(url);
      await settle(page);
      writeFileSync(target, await page.screenshot(w, h));
    }),
  );
  return target;
}

export async function exportNotebook(
  notebook: string, formats: readonly ExportFormat[], outDir: string, opts: ExportOptions = {},
): Promise<Record<ExportFormat, string | undefined>> {
  assertString('notebook', notebook);
  if (!Array.isArray(formats)) {
    throw new TypeError(`formats must be an array of ${EXPORT_FORMATS.join(', ')}, got ${describe(formats)}`);
  }
  formats.forEach((f, i) => assertOneOf(`formats[${i}]`, f, EXPORT_FORMATS));
  assertString('outDir', outDir);
  const html = await exportHtml(notebook, outDir, opts);
  const result: Record<ExportFormat, string | undefined> = { html, pdf: undefined };
  if (formats.includes('pdf')) {
    result.pdf = await htmlToPdf(html, join(outDir, `${basename(notebook, '.ipynb')}.pdf`), opts);
  }
  if (!formats.includes('html')) {
    rmSync(html, { force: true });
    result.html = undefined;
  }
  return result;
}
