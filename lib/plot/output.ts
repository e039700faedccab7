/** Where figures and tables go: `<root>/<paper>/<id>.*`. The runner sets the root per profile. */
import { join, resolve } from 'node:path';
import { projectRoot } from '../core/index.js';

let root: string | null = null;

/** Set the folder that holds `<paper>/…` outputs (full profile: figures/, quick: build/quick/figures). */
export function setOutputRoot(dir: string): void {
  if (typeof dir !== 'string' || dir.length === 0) throw new RangeError(`dir must be a non-empty path, got ${String(dir)}`);
  root = resolve(dir);
}

export function outputRoot(): string {
  return root ?? (process.env.WORKBOOK_OUT ? resolve(process.env.WORKBOOK_OUT) : join(projectRoot(), 'figures'));
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function outputPath(paper: string, id: string, ext: string): string {
  if (typeof ext !== 'string' || !/^[a-z0-9]+(\.[a-z0-9]+)?$/.test(ext)) {
    throw new RangeError(`ext must be a file extension like "png" or "vl.json", got ${JSON.stringify(ext)}`);
  }
  if (typeof paper !== 'string' || !ID.test(paper)) {
    throw new RangeError(`paper must be a simple name like "zepe", got ${JSON.stringify(paper)}`);
  }
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new RangeError(`id must be a simple name like "fig1", got ${JSON.stringify(id)}`);
  }
  return join(outputRoot(), paper, `${id}.${ext}`);
}
