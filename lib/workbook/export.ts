/** `workbook export`: HTML through nbconvert (figures appear as SVG), PDF by printing that HTML in headless Chromium. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { projectRoot } from '../core/index.js';
import { CHROMIUM_FIX, findChromium, jupyterEnv, requireJupyterPython } from './toolchain.js';

export type ExportFormat = 'html' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'pdf'];

export async function exportHtml(notebook: string, outDir: string): Promise<string> {
  const py = requireJupyterPython();
  mkdirSync(outDir, { recursive: true });
  const name = basename(notebook, '.ipynb');
  const templates = join(projectRoot(), 'lib', 'workbook', 'templates');
  const args = ['-m', 'nbconvert', '--to', 'html', '--template', 'workbook', `--TemplateExporter.extra_template_basedirs=${templates}`];
  const res = await execa(py.python, [...args, '--output-dir', resolve(outDir), '--output', name, resolve(notebook)], {
    env: jupyterEnv(),
    reject: false,
  });
  const out = join(resolve(outDir), `${name}.html`);
  if (res.exitCode !== 0 || !existsSync(out)) throw new Error(`HTML export of ${notebook} failed: ${String(res.stderr).slice(-2000)}`);
  return out;
}

/** Flags that keep headless Chromium quiet on a machine without network (see PLATFORM.md). */
export function chromiumFlags(userDataDir: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--hide-scrollbars', `--user-data-dir=${userDataDir}`,
  ];
}

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
    const res = await execa(chromium, [...chromiumFlags(profile), ...args], { reject: false, timeout: timeoutMs });
    if (res.exitCode !== 0) throw new Error(`chromium ${args.join(' ')} failed (exit ${res.exitCode}): ${String(res.stderr).slice(-1500)}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function htmlToPdf(html: string, pdf: string): Promise<string> {
  mkdirSync(dirname(resolve(pdf)), { recursive: true });
  await runChromium(['--no-pdf-header-footer', `--print-to-pdf=${resolve(pdf)}`, pathToFileURL(resolve(html)).href]);
  if (!existsSync(pdf)) throw new Error(`Chromium did not write ${pdf}`);
  return resolve(pdf);
}

export async function screenshot(html: string, png: string, size = '1200,1600'): Promise<string> {
  mkdirSync(dirname(resolve(png)), { recursive: true });
  await runChromium([`--screenshot=${resolve(png)}`, `--window-size=${size}`, pathToFileURL(resolve(html)).href]);
  if (!existsSync(png)) throw new Error(`Chromium did not write ${png}`);
  return resolve(png);
}

export async function exportNotebook(notebook: string, formats: readonly ExportFormat[], outDir: string): Promise<Record<ExportFormat, string | undefined>> {
  const html = await exportHtml(notebook, outDir);
  const result: Record<ExportFormat, string | undefined> = { html, pdf: undefined };
  if (formats.includes('pdf')) result.pdf = await htmlToPdf(html, join(outDir, `${basename(notebook, '.ipynb')}.pdf`));
  if (!formats.includes('html')) {
    rmSync(html, { force: true });
    result.html = undefined;
  }
  return result;
}
