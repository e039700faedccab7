/**
 * The external codec programs (Debian packages, see scripts/apt-packages.txt), run as child processes with
 * stdin/stdout pipes or files in a private temporary folder that is always removed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneOf, describe } from '../core/index.js';

/** Program → the Debian package that ships it. */
export const CODEC_TOOLS = {
  cjpeg: 'libjpeg-turbo-progs',
  djpeg: 'libjpeg-turbo-progs',
  x265: 'x265',
  'libde265-dec265': 'libde265-examples',
} as const;

export type CodecTool = keyof typeof CODEC_TOOLS;

function missing(tool: CodecTool): Error {
  const pkg = CODEC_TOOLS[tool];
  return new Error(`${tool} was not found on PATH: install the Debian package ${pkg} (sudo apt-get install ${pkg})`);
}

export interface ToolOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `tool args…`, feeding `input` on stdin; rejects with the tool's stderr on a non-zero exit. */
export function runTool(tool: CodecTool, args: readonly string[], input?: Uint8Array): Promise<ToolOutput> {
  assertOneOf('tool', tool, Object.keys(CODEC_TOOLS) as CodecTool[]);
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new TypeError(`args must be an array of strings, got ${describe(args)}`);
  }
  if (input !== undefined && !(input instanceof Uint8Array)) {
    throw new TypeError(`input must be a Uint8Array (or omitted), got ${describe(input)}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // EPIPE when the tool exits early: its exit code tells why
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? missing(tool) : e));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new Error(`${tool} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`));
    });
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

/** Runs fn in a fresh temporary folder and removes the folder afterwards, whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError(`fn must be a function of the folder, got ${describe(fn)}`);
  const dir = await mkdtemp(join(tmpdir(), 'semcom-codecs-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ToolCheck {
  readonly tool: CodecTool;
  readonly package: string;
  readonly ok: boolean;
}

/** Which codec programs are installed (for doctor reports and for skipping work early). */
export function codecToolStatus(): ToolCheck[] {
  return (Object.keys(CODEC_TOOLS) as CodecTool[]).map((tool) => {
    const r = spawnSync(tool, ['--help'], { stdio: 'ignore', timeout: 10_000 });
    const enoent = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    return { tool, package: CODEC_TOOLS[tool], ok: !enoent };
  });
}
