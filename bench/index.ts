/**
 * `npm run bench`: every benchmark of the workbook, one after the other (each is also a script of its own).
 * Each prints its table with ratios measured side by side in the same run; peers (numpy, torch) are used when
 * installed (scripts/bench-peers.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = ['info', 'channels', 'nn'].filter((b) => only.length === 0 || only.includes(b));
let failed = 0;
for (const b of benches) {
  const file = join(here, `${b}.js`);
  if (!existsSync(file)) continue;
  console.log(`\n## bench: ${b}\n`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${b} failed (exit ${r.status})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
