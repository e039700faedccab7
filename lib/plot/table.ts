/** Tables: CSV + Markdown on disk, an HTML table in the notebook. Accepts rows or a danfo DataFrame. */
import { assertObject, writeFileAtomic } from '../core/index.js';
import { columnsOf, toCsv, toHtmlTable, toMarkdown, type Row } from './csv.js';
import { displayBundle } from './display.js';
import { outputPath } from './output.js';

/** The part of a danfojs DataFrame this module reads (so lib does not depend on danfo's types). */
export interface FrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
}

export interface SavedTable {
  paper: string;
  id: string;
  files: { csv: string; markdown: string };
  rows: Row[];
  markdown: string;
}

export function rowsOf(frame: FrameLike | readonly Row[]): Row[] {
  if (Array.isArray(frame)) return frame.map((r) => ({ ...(r as Row) }));
  assertObject('frame', frame);
  const f = frame as FrameLike;
  if (!Array.isArray(f.columns) || !Array.isArray(f.values)) {
    throw new TypeError('frame must be an array of row objects or a danfo DataFrame (with columns and values)');
  }
  return (f.values as unknown[]).map((vals) => {
    const row: Row = {};
    const arr = Array.isArray(vals) ? vals : [vals];
    f.columns.forEach((c, i) => { row[c] = arr[i] as Row[string]; });
    return row;
  });
}

export async function saveTable(paper: string, id: string, frame: FrameLike | readonly Row[], opts: { digits?: number; caption?: string } = {}): Promise<SavedTable> {
  const rows = rowsOf(frame);
  if (rows.length === 0) throw new RangeError(`frame must hold at least one row (table ${paper}/${id})`);
  assertObject('options', opts);
  if (opts.caption !== undefined && typeof opts.caption !== 'string') {
    throw new TypeError(`caption must be a string, got ${typeof opts.caption}`);
  }
  const cols = columnsOf(rows);
  const files = { csv: outputPath(paper, id, 'csv'), markdown: outputPath(paper, id, 'md') };
  const csv = toCsv(rows, cols);
  const markdown = (opts.caption ? `${opts.caption}\n\n` : '') + toMarkdown(rows, cols, opts.digits ?? 4);
  writeFileAtomic(files.csv, csv);
  writeFileAtomic(files.markdown, markdown);
  return { paper, id, files, rows, markdown };
}

export function showTable(table: SavedTable | readonly Row[], opts: { digits?: number; caption?: string } = {}): void {
  if (!Array.isArray(table)) assertObject('table', table);
  assertObject('options', opts);
  const rows = Array.isArray(table) ? (table as Row[]) : (table as SavedTable).rows;
  const md = toMarkdown(rows, columnsOf(rows), opts.digits ?? 4);
  displayBundle({ 'text/html': toHtmlTable(rows, columnsOf(rows), opts.digits ?? 4, opts.caption), 'text/plain': md });
}
