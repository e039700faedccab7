/** Rows ↔ CSV / Markdown / HTML. Rows are plain objects; columns are the union of keys in first-seen order. */

export type Cell = number | string | boolean | null | undefined;
export type Row = Record<string, Cell>;

export function columnsOf(rows: readonly Row[]): string[] {
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); cols.push(k); }
  return cols;
}

/** Numbers are written in full precision (shortest round-trip form); ±∞ as inf/-inf, NaN refused. */
function formatCsvCell(v: Cell, col: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new RangeError(`column ${col} holds NaN: a figure or table must not carry NaN`);
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly Row[], columns = columnsOf(rows)): string {
  const lines = [columns.map((c) => formatCsvCell(c, c)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => formatCsvCell(r[c], c)).join(','));
  return lines.join('\n') + '\n';
}

/** Human formatting: 4 significant digits unless told otherwise. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

function formatCell(v: Cell, digits: number): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? formatNumber(v, digits) : String(v);
}

export function toMarkdown(rows: readonly Row[], columns = columnsOf(rows), digits = 4): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${columns.map(esc).join(' | ')} |`;
  const sep = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${columns.map((c) => esc(formatCell(r[c], digits))).join(' | ')} |`);
  return [head, sep, ...body].join('\n') + '\n';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toHtmlTable(rows: readonly Row[], columns = columnsOf(rows), digits = 4, caption?: string): string {
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  const head = `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(formatCell(r[c], digits))}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="workbook-table">${cap}${head}<tbody>${body}</tbody></table>`;
}

/** JSON cannot hold ±∞: inline figure data writes them as null (Vega-Lite skips nulls). */
export function jsonSafeRows(rows: readonly Row[]): Row[] {
  return rows.map((r) => {
    const o: Row = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    return o;
  });
}
