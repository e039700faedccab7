/**
 * Where figures and tables go: `<root>/<paper>/<id>.*`. The runner sets the root per profile; a paper run
 * (lib/workbook/session.ts) sends its paper's files to a staging folder instead (setPaperOutputDir) and replaces
 * `<root>/<paper>` by it only when the run succeeds (lib/workbook/outputs.ts).
 */
import { join, resolve } from 'node:path';
import { projectRoot } from '../core/index.js';

let root: string | null = null;
const paperDirs = new Map<string, string>();

/** Set the folder that holds `<paper>/…` outputs (full profile: figures/, quick: build/quick/figures). */
export function setOutputRoot(dir: string): void {
  if (typeof dir !== 'string' || dir.length === 0) throw new RangeError(`dir must be a non-empty path, got ${String(dir)}`);
  root = resolve(dir);
}

export function outputRoot(): string {
  return root ?? (process.env.WORKBOOK_OUT ? resolve(process.env.WORKBOOK_OUT) : join(projectRoot(), 'figures'));
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Write `paper`'s outputs into `dir` (a run's staging folder) instead of `<root>/<paper>`; null: back to the root. */
export function setPaperOutputDir(paper: string, dir: string | null): void {
  if (typeof paper !== 'string' || !ID.test(paper)) {
    throw new RangeError(`paper must be a simple name like "zepe", got ${JSON.stringify(paper)}`);
  }
  if (dir === null) paperDirs.delete(paper);
  else if (typeof dir === 'string' && dir.length > 0) paperDirs.set(paper, resolve(dir));
  else throw new RangeError(`dir must be a non-empty path or null, got ${String(dir)}`);
}

/** The folder `paper`'s outputs are written to now. */
export function paperOutputDir(paper: string): string {
  if (typeof paper !== 'string' || !ID.test(paper)) {
    throw new RangeError(`paper must be a simple name like "zepe", got ${JSON.stringify(paper)}`);
  }
  return paperDirs.get(paper) ?? join(outputRoot(), paper);
}

export function outputPath(paper: string, id: string, ext: string): string {
  if (typeof ext !== 'string' || !/^[a-z0-9]+(\.[a-z0-9]+)?$/.test(ext)) {
    throw new RangeError(`ext must be a file extension like "png" or "vl.json", got ${JSON.stringify(ext)}`);
  }
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new RangeError(`id must be a simple name like "fig1", got ${JSON.stringify(id)}`);
  }
  return join(paperOutputDir(paper), `${id}.${ext}`);
}
