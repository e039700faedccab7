/**
 * The folder runs write their outputs under: `build/` of the project, or `$SEMCOM_BUILD_DIR` when set (an absolute
 * or relative path; relative ones are taken from the current directory). Quick and paper runs write
 * `<build>/<profile>/{notebooks,figures,export}`, shards `<build>/shards/<profile>/<i>-of-<n>/`; the full profile's
 * figures stay in the project's `figures/`. Tests that run notebooks side by side give each run its own build folder,
 * so two runs of one notebook never meet at the same output lock.
 */
import { join, resolve } from 'node:path';
import { projectRoot } from '../core/index.js';

export const BUILD_DIR_ENV = 'SEMCOM_BUILD_DIR';

/** `<build folder>/...parts` (see the file header). */
export function buildDir(...parts: string[]): string {
  const env = process.env[BUILD_DIR_ENV];
  return join(env !== undefined && env !== '' ? resolve(env) : join(projectRoot(), 'build'), ...parts);
}
