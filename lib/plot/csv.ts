/**
 * Rows ↔ CSV / Markdown / HTML. Rows are plain objects whose values are numbers, strings, booleans or empty
 * (null/undefined); columns are the union of keys in first-seen order. NaN is refused everywhere (a figure or a
 * table must not carry one); ±∞ are written as inf/-inf (CSV) and ∞/−∞ (Markdown, HTML): a lossless PSNR.
 */
import { assertInteger, assertString, describe } from '../core/index.js';

export type Cell = number | string | boolean | null | undefined;
export type Row = Record<string, Cell>;

/** Most significant digits a formatted number may ask for (a double has 17). */
const MAX_DIGITS = 17;

/** Throws unless `rows` is an array of plain objects whose values are cells. */
function checkRows(rows: unknown): asserts rows is readonly Row[] {
  if (!Array.isArray(rows)) throw new TypeError(`rows must be an array of row objects, got ${describe(rows)}`);
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new TypeError(`rows[${i}] must be an object, got ${describe(r)}`);
    }
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
      if (v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
        throw new TypeError(`rows[${i}].${k} must be a number, string, boolean or empty, got ${describe(v)}`);
      }
      if (typeof v === 'number' && Number.isNaN(v)) {
        throw new RangeError(`column ${k} holds NaN (rows[${i}]): a figure or table must not carry NaN`);
      }
    }
  });
}

function checkColumns(columns: unknown): asserts columns is readonly string[] {
  if (!Array.isArray(columns)) {
    throw new TypeError(`columns must be an array of column names, got ${describe(columns)}`);
  }
  columns.forEach((c, i) => assertString(`columns[${i}]`, c));
}

function checkDigits(digits: unknown): asserts digits is number {
  assertInteger('digits', digits, 1, MAX_DIGITS);
}

export function columnsOf(rows: readonly Row[]): string[] {
  checkRows(rows);
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); cols.push(k); }
  return cols;
}

/** Numbers are written in full precision (shortest round-trip form); ±∞ as inf/-inf. */
function formatCsvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  checkRows(rows);
  const cols = columns === undefined ? columnsOf(rows) : columns;
  checkColumns(cols);
  const lines = [cols.map((c) => formatCsvCell(c)).join(',')];
  for (const r of rows) lines.push(cols.map((c) => formatCsvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** Human formatting: `digits` (1..17, default 4) significant digits; ±∞ as ∞/−∞; NaN and non-numbers refused. */
export function formatNumber(v: number, digits = 4): string {
  if (typeof v !== 'number') throw new TypeError(`v must be a number, got ${describe(v)}`);
  if (Number.isNaN(v)) throw new RangeError('v is NaN: a figure or table must not carry NaN');
  checkDigits(digits);
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

function formatCell(v: Cell, digits: number): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? formatNumber(v, digits) : String(v);
}

export function toMarkdown(rows: readonly Row[], columns?: readonly string[], digits = 4): string {
  checkRows(rows);
  const cols = columns === undefined ? columnsOf(rows) : columns;
  checkColumns(cols);
  checkDigits(digits);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${cols.map(esc).join(' | ')} |`;
  const sep = `| ${cols.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${cols.map((c) => esc(formatCell(r[c], digits))).join(' | ')} |`);
  return [head, sep, ...body].join('\n') + '\n';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toHtmlTable(rows: readonly Row[], columns?: readonly string[], digits = 4, caption?: string): string {
  checkRows(rows);
  const cols = columns === undefined ? columnsOf(rows) : columns;
  checkColumns(cols);
  checkDigits(digits);
  if (caption !== undefined) assertString('caption', caption);
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  const head = `<thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(formatCell(r[c], digits))}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="workbook-table">${cap}${head}<tbody>${body}</tbody></table>`;
}

/** JSON cannot hold ±∞: inline figure data writes them as null (Vega-Lite skips nulls). */
export function jsonSafeRows(rows: readonly Row[]): Row[] {
  checkRows(rows);
  return rows.map((r) => {
    const o: Row = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    return o;
  });
}
