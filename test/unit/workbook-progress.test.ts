import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progress } from '../../lib/workbook/index.js';

function sink() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => { lines.push(s); return true; } } as unknown as NodeJS.WriteStream;
  return { lines, stream };
}

test('progress on a log (not a terminal) prints about every 10% and a final line', () => {
  const { lines, stream } = sink();
  const p = progress(200, 'train', { stream, throttleMs: 0 });
  for (let i = 0; i < 200; i++) p.tick(1, `loss ${(1 / (i + 1)).toFixed(3)}`);
  p.done('finished');
  assert.ok(lines.length >= 10 && lines.length <= 13, `${lines.length} lines`);
  assert.match(lines[lines.length - 1], /train: 200\/200 \(100%\).*finished/);
  assert.equal(p.count, 200);
});

test('progress rejects a bad total', () => {
  assert.throws(() => progress(-1), /total must be an integer >= 0/);
  assert.throws(() => progress(1.5), /total/);
});
