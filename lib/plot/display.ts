/**
 * Notebook display. tslab's public `display.raw` sends one MIME type per output; a figure needs one bundle
 * holding Vega-Lite (interactive in JupyterLab), SVG (picked by nbconvert's HTML export) and plain text, so
 * the bundle goes through tslab's kernel hook directly. Outside a kernel (CLI, tests) nothing is displayed.
 */
import { createRequire } from 'node:module';
import { assertObject, assertString } from '../core/index.js';

export type MimeBundle = Record<string, string | Record<string, unknown>>;

interface TslabJupyter {
  lastWriteDisplayData: ((msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => void) | null;
}

const require = createRequire(import.meta.url);

function kernelHook(): TslabJupyter['lastWriteDisplayData'] {
  try {
    const jupyter = require('tslab/dist/jupyter.js') as TslabJupyter;
    return jupyter.lastWriteDisplayData;
  } catch {
    return null;
  }
}

/** True when running inside a tslab kernel (a notebook). */
export function inNotebook(): boolean {
  return kernelHook() != null;
}

/** Display a MIME bundle; with a displayId, later calls with the same id replace it in place. */
export function displayBundle(data: MimeBundle, displayId?: string, update = false): boolean {
  assertObject('data', data);
  if (displayId !== undefined) assertString('displayId', displayId);
  if (typeof update !== 'boolean') throw new TypeError(`update must be true or false, got ${String(update)}`);
  const hook = kernelHook();
  if (!hook) return false;
  hook({ data, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
  return true;
}

export function showHtml(html: string): boolean {
  assertString('html', html);
  return displayBundle({ 'text/html': html, 'text/plain': html.replace(/<[^>]+>/g, '') });
}

export function showMarkdown(md: string): boolean {
  assertString('md', md);
  return displayBundle({ 'text/markdown': md, 'text/plain': md });
}
