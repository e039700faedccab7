/** Where the project lives, and where caches go (override with SEMCOM_CACHE). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file holding a package.json named semcom-workbook. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lib'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function cacheDir(...parts: string[]): string {
  const base = process.env.SEMCOM_CACHE ? resolve(process.env.SEMCOM_CACHE) : join(projectRoot(), '.cache');
  return join(base, ...parts);
}
