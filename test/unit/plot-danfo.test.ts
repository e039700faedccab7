/** Tables accept danfojs DataFrames; our CSV must agree with danfo's own writer (a second implementation). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsOf, saveTable, setOutputRoot, toCsv } from '../../lib/plot/index.js';

interface Danfo { DataFrame: new (data: Record<string, unknown[]>) => { columns: string[]; values: unknown[][] }; toCSV: (df: unknown) => string }

test('saveTable writes a danfo DataFrame; its CSV equals danfo.toCSV', async () => {
  const dfd = (await import('danfojs-node')) as unknown as Danfo;
  const df = new dfd.DataFrame({ snr_db: [-5, 5, 15], psnr: [21.5, 25.25, 28.125], method: ['vscc', 'vae', 'ae'] });
  const rows = rowsOf(df);
  assert.deepEqual(rows[1], { snr_db: 5, psnr: 25.25, method: 'vae' });
  assert.equal(toCsv(rows).trim(), dfd.toCSV(df).trim());
  const dir = mkdtempSync(join(tmpdir(), 'danfo-'));
  setOutputRoot(dir);
  await saveTable('demo', 'tab', df);
  assert.equal(readFileSync(join(dir, 'demo', 'tab.csv'), 'utf8').trim(), dfd.toCSV(df).trim());
  assert.match(readFileSync(join(dir, 'demo', 'tab.md'), 'utf8'), /\| 5 \| 25\.25 \| vae \|/);
});
