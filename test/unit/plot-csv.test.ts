import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, toCsv, toMarkdown, rowsOf } from '../../lib/plot/index.js';

test('toCsv: union of columns, quoting, infinities; NaN refused', () => {
  const csv = toCsv([{ a: 1, b: 'x,y' }, { a: Infinity, c: 'say "hi"' }]);
  assert.equal(csv, 'a,b,c\n1,"x,y",\ninf,,"say ""hi"""\n');
  assert.throws(() => toCsv([{ a: NaN }]), /column a holds NaN/);
});

test('toCsv keeps full precision (round-trips)', () => {
  const v = 0.1 + 0.2;
  const line = toCsv([{ v }]).split('\n')[1];
  assert.equal(Number(line), v);
});

test('toMarkdown formats numbers to 4 significant digits', () => {
  const md = toMarkdown([{ x: 1 / 3, n: 12, s: 'a|b' }]);
  assert.equal(md, '| x | n | s |\n| --- | --- | --- |\n| 0.3333 | 12 | a\\|b |\n');
  assert.equal(formatNumber(1.23456e-7), '1.235e-7');
  assert.equal(formatNumber(-Infinity), '−∞');
});

test('rowsOf accepts a danfo-like frame', () => {
  assert.deepEqual(rowsOf({ columns: ['a', 'b'], values: [[1, 2], [3, 4]] }), [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
});
