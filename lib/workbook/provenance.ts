/** Where a number came from: commit, profile, parameters, seed, backend, package versions, times. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MAX_SEED, assertInteger, assertObject, assertString, projectRoot } from '../core/index.js';
import { FIGURE_STYLE } from '../plot/render.js';

export interface Provenance {
  commit: string | null;
  dirty: boolean | null;
  profile: string;
  parameters: Record<string, unknown>;
  seed: number | null;
  backend: string;
  packages: Record<string, string>;
  node: string;
  platform: string;
  startedAt: string;
  wallSeconds: number | null;
  /** Version of the figure style the figures were drawn in (lib/plot/render.ts FIGURE_STYLE; absent: 1). */
  figureStyle?: number;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: projectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

/** Paths whose changes make a result differ from its commit (outputs themselves do not count). */
const CODE_PATHS = ['lib', 'notebooks', 'package.json', 'package-lock.json'];

export function gitState(): { commit: string | null; dirty: boolean | null } {
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit ? git(['status', '--porcelain', '--', ...CODE_PATHS]) : null;
  return { commit, dirty: status === null ? null : status.length > 0 };
}

const TRACKED_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node-gpu', 'tslab', 'vega', 'vega-lite', 'danfojs-node', '@resvg/resvg-js', 'execa'];

export function packageVersions(): Record<string, string> {
  const req = createRequire(join(projectRoot(), 'package.json'));
  const out: Record<string, string> = {};
  for (const name of TRACKED_PACKAGES) {
    // A package whose "exports" map hides package.json (vega, vega-lite, execa) cannot be resolved by name:
    // read it from the project's node_modules instead.
    const candidates = [() => req.resolve(`${name}/package.json`), () => join(projectRoot(), 'node_modules', name, 'package.json')];
    out[name] = 'not installed';
    for (const where of candidates) {
      try {
        out[name] = (JSON.parse(readFileSync(where(), 'utf8')) as { version: string }).version;
        break;
      } catch {
        // try the next place
      }
    }
  }
  return out;
}

export function collectProvenance(p: { profile: string; parameters: Record<string, unknown>; seed: number | null; backend: string }): Provenance {
  assertObject('p', p);
  assertString('profile', p.profile);
  assertObject('parameters', p.parameters);
  if (p.seed !== null) assertInteger('seed', p.seed, 0, MAX_SEED);
  assertString('backend', p.backend);
  return {
    ...gitState(),
    ...p,
    packages: packageVersions(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    startedAt: new Date().toISOString(),
    wallSeconds: null,
    figureStyle: FIGURE_STYLE,
  };
}
