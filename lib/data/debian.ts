/**
 * Fetch Debian packages without installing them (`apt-get download` + `dpkg-deb -x`), and read the licence of a
 * file from the package's machine-readable copyright file (DEP-5).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertString } from '../core/index.js';

const run = promisify(execFile);

/** The .deb of `pkg` in `debDir`, downloading it when absent. */
export async function fetchDeb(pkg: string, debDir: string): Promise<string> {
  mkdirSync(debDir, { recursive: true });
  const find = () => readdirSync(debDir).filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')).sort();
  let found = find();
  if (found.length === 0) {
    try {
      await run('apt-get', ['download', pkg], { cwd: debDir, maxBuffer: 16 << 20 });
    } catch (err) {
      throw new Error(
        `apt-get download ${pkg} failed (${(err as Error).message.split('\n')[0]}). Run 'apt-get update' first; the package must be in the configured Debian archive.`,
      );
    }
    found = find();
    if (found.length === 0) throw new Error(`apt-get download ${pkg} produced no .deb in ${debDir}`);
  }
  return join(debDir, found[found.length - 1]);
}

/** Unpacks a .deb into `dir` once (a marker file records completion so an interrupted unpack is redone). */
export async function unpackDeb(deb: string, dir: string): Promise<void> {
  const marker = join(dir, '.unpacked');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === deb) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run('dpkg-deb', ['-x', deb, dir], { maxBuffer: 16 << 20 });
  writeFileSync(marker, deb);
}

export async function debVersion(deb: string): Promise<string> {
  const { stdout } = await run('dpkg-deb', ['-f', deb, 'Version']);
  return stdout.trim();
}

/** All regular files under `root`, as '/'-separated paths relative to it. */
export function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  if (!existsSync(join(root, prefix))) return out;
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = statSync(join(root, rel));
    if (st.isDirectory()) out.push(...listFiles(root, rel));
    else if (st.isFile()) out.push(rel);
  }
  return out;
}

interface Dep5Stanza {
  readonly files: readonly string[];
  readonly license: string;
}

/** Stanzas of a DEP-5 copyright file that carry both Files and License fields. */
export function parseDep5(text: string): Dep5Stanza[] {
  assertString('text', text);
  const stanzas: Dep5Stanza[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let key = '';
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
      if (m && !line.startsWith(' ')) {
        key = m[1].toLowerCase();
        fields.set(key, m[2]);
      } else if (key && /^\s/.test(line)) {
        fields.set(key, `${fields.get(key)}\n${line.trim()}`);
      }
    }
    const files = fields.get('files');
    const license = fields.get('license');
    if (files !== undefined && license !== undefined) {
      stanzas.push({ files: files.split(/\s+/).filter(Boolean), license: license.split('\n')[0].trim() });
    }
  }
  return stanzas;
}

/** DEP-5 wildcards: `*` matches any run of characters including '/', `?` one character. */
function dep5Regex(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/**
 * Source paths in copyright files differ from installed paths (samples/data/x.jpg → /usr/share/doc/…/data/x.jpg),
 * so a pattern matches when it matches some trailing part of the installed path that starts at a '/' boundary,
 * or, for a literal pattern, when the file names agree. As in DEP-5, the last matching stanza wins. This is a
 * best-effort attribution: the manifest records which pattern gave each licence.
 */
function patternMatches(pattern: string, installed: string): boolean {
  const re = dep5Regex(pattern);
  const segs = installed.split('/');
  for (let i = 0; i < segs.length; i++) if (re.test(segs.slice(i).join('/'))) return true;
  return !/[*?]/.test(pattern) && pattern.split('/').pop() === segs[segs.length - 1];
}

export interface LicenceInfo {
  readonly licence: string;
  /** The Files pattern of the stanza that gave the licence. */
  readonly matched: string;
}

export function licenceFor(copyrightText: string, installedPath: string): LicenceInfo {
  assertString('copyrightText', copyrightText);
  assertString('installedPath', installedPath);
  let result: LicenceInfo = { licence: 'unknown (no matching Files stanza)', matched: '' };
  for (const st of parseDep5(copyrightText)) {
    const hit = st.files.find((p) => patternMatches(p, installedPath));
    if (hit !== undefined) result = { licence: st.license, matched: hit };
  }
  return result;
}
