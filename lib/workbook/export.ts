/**
 * `workbook export`: HTML through nbconvert (figures appear as SVG), PDF by printing that HTML in headless Chromium.
 *
 * A notebook's outputs are untrusted. nbconvert runs with workbook_export_config.py: outputs, Markdown and raw cells
 * are sanitised (lib/workbook/python/workbook_sanitize.py), JavaScript and widget outputs are dropped, and the page
 * carries a Content-Security-Policy under which only the template's own scripts (MathJax, with a per-export nonce)
 * run. The exported HTML is checked for foreign scripts before it is written out, and Chromium prints a copy of it
 * from a fresh temporary folder holding nothing else, with no file access from files, no network, no extensions.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { assertOneOf, assertString, describe, projectRoot } from '../core/index.js';
import { CHROMIUM_FIX, findChromium, jupyterEnv, requireJupyterPython } from './toolchain.js';

export type ExportFormat = 'html' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'pdf'];

export async function exportHtml(notebook: string, outDir: string): Promise<string> {
  assertString('notebook', notebook);
  assertString('outDir', outDir);
  const py = requireJupyterPython();
  mkdirSync(outDir, { recursive: true });
  const name = basename(notebook, '.ipynb');
  const templates = join(projectRoot(), 'lib', 'workbook', 'templates');
  const config = join(projectRoot(), 'lib', 'workbook', 'python', 'workbook_export_config.py');
  const args = ['-m', 'nbconvert', '--to', 'html', '--config', config, '--template', 'workbook', `--TemplateExporter.extra_template_basedirs=${templates}`];
  // Written to a private folder first: the page reaches outDir only once it has passed the script check.
  const staging = mkdtempSync(join(tmpdir(), 'workbook-export-'));
  try {
    const res = await execa(py.python, [...args, '--output-dir', staging, '--output', name, resolve(notebook)], {
      env: jupyterEnv(),
      reject: false,
    });
    const staged = join(staging, `${name}.html`);
    if (res.exitCode !== 0 || !existsSync(staged)) throw new Error(`HTML export of ${notebook} failed: ${String(res.stderr).slice(-2000)}`);
    assertOnlyOwnScripts(readFileSync(staged, 'utf8'), notebook);
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
  if (!csp) throw new Error(`${what}: the exported page has no Content-Security-Policy with a nonce (template not applied?)`);
  const nonce = csp[1];
  const foreign = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]).filter((tag) => !tag.includes(`nonce="${nonce}"`));
  if (foreign.length > 0) throw new Error(`${what}: the exported page holds ${foreign.length} script(s) that are not the export's own, e.g. ${foreign[0].slice(0, 120)}`);
}

/**
 * Flags for headless Chromium printing an untrusted page: quiet on a machine without network (see PLATFORM.md), and
 * restricted as far as flags allow: no network (every host name unresolvable, every request sent to a dead proxy),
 * no extensions, no new windows, no file access from file pages (Chromium's default, never overridden here).
 * The sandbox is kept unless Chromium cannot use it (as root it refuses to start with one).
 */
export function chromiumFlags(userDataDir: string, sandbox = !isRoot()): string[] {
  return [
    '--headless', ...(sandbox ? [] : ['--no-sandbox']), '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--hide-scrollbars', `--user-data-dir=${userDataDir}`,
    '--disable-extensions', '--disable-plugins', '--block-new-web-contents', '--disable-remote-fonts', '--deny-permission-prompts',
    '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
    '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication',
  ];
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function requireChromium(): string {
  const chromium = findChromium();
  if (!chromium) throw new Error(`Chromium was not found (needed for PDF export and the browser check). Fix: ${CHROMIUM_FIX}`);
  return chromium;
}

/** Run headless Chromium once with a throw-away profile. */
export async function runChromium(args: string[], timeoutMs = 120_000): Promise<void> {
  const chromium = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'workbook-chromium-'));
  try {
    let res = await execa(chromium, [...chromiumFlags(profile), ...args], { reject: false, timeout: timeoutMs });
    // A container without user namespaces cannot give Chromium its sandbox: then (only then) run without it.
    if (res.exitCode !== 0 && !isRoot() && /sandbox/i.test(String(res.stderr))) {
      res = await execa(chromium, [...chromiumFlags(profile, false), ...args], { reject: false, timeout: timeoutMs });
    }
    if (res.exitCode !== 0) throw new Error(`chromium ${args.join(' ')} failed (exit ${res.exitCode}): ${String(res.stderr).slice(-1500)}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Open a copy of `html` in a fresh temporary folder that holds nothing else (the page is self-contained: figures
 * are inline SVG or data: images), so the page's own folder offers nothing to read.
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

export async function htmlToPdf(html: string, pdf: string): Promise<string> {
  assertString('html', html);
  assertString('pdf', pdf);
  const target = resolve(pdf);
  mkdirSync(dirname(target), { recursive: true });
  await withIsolatedPage(html, async (url, dir) => {
    const printed = join(dir, 'page.pdf');
    await runChromium(['--no-pdf-header-footer', `--print-to-pdf=${printed}`, url]);
    if (!existsSync(printed)) throw new Error(`Chromium did not write ${pdf}`);
    copyFileSync(printed, target);
  });
  return target;
}

export async function screenshot(html: string, png: string, size = '1200,1600'): Promise<string> {
  assertString('html', html);
  assertString('png', png);
  const m = typeof size === 'string' ? /^(\d{1,5}),(\d{1,5})$/.exec(size) : null;
  if (!m || [m[1], m[2]].some((v) => Number(v) < 1 || Number(v) > 16384)) {
    throw new RangeError(`size must be "width,height" in pixels (1..16384), got ${describe(size)}`);
  }
  const target = resolve(png);
  mkdirSync(dirname(target), { recursive: true });
  await withIsolatedPage(html, async (url, dir) => {
    const shot = join(dir, 'page.png');
    await runChromium([`--screenshot=${shot}`, `--window-size=${size}`, url]);
    if (!existsSync(shot)) throw new Error(`Chromium did not write ${png}`);
    copyFileSync(shot, target);
  });
  return target;
}

export async function exportNotebook(notebook: string, formats: readonly ExportFormat[], outDir: string): Promise<Record<ExportFormat, string | undefined>> {
  assertString('notebook', notebook);
  if (!Array.isArray(formats)) {
    throw new TypeError(`formats must be an array of ${EXPORT_FORMATS.join(', ')}, got ${describe(formats)}`);
  }
  formats.forEach((f, i) => assertOneOf(`formats[${i}]`, f, EXPORT_FORMATS));
  assertString('outDir', outDir);
  const html = await exportHtml(notebook, outDir);
  const result: Record<ExportFormat, string | undefined> = { html, pdf: undefined };
  if (formats.includes('pdf')) result.pdf = await htmlToPdf(html, join(outDir, `${basename(notebook, '.ipynb')}.pdf`));
  if (!formats.includes('html')) {
    rmSync(html, { force: true });
    result.html = undefined;
  }
  return result;
}
