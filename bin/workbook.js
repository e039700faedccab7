#!/usr/bin/env node
// Entry point of `npx workbook`: the CLI lives in the compiled library (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/lib/workbook/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('workbook: the library is not built yet. Run: npm run build');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
