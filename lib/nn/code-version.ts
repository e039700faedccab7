/**
 * The version of the code behind a cached result: sha256 over the bytes of a compiled module and of every module it
 * imports, transitively, plus the installed versions of the npm packages that graph imports by name (with every
 * installed `@tensorflow/*` package once tfjs is among them: backends are loaded by name at run time).
 *
 * Model, sweep and checkpoint caches are keyed by this version as well as by their configuration (issue 18, finding 3),
 * so a change to a model, a loss or an evaluation — anything the trial module reaches — makes a re-run recompute
 * instead of silently reusing results of the old code. A change elsewhere (figures, notebooks, the workbook CLI) keeps
 * the caches.
 *
 * The graph: static `import … from`, `export … from`, bare `import '…'`, `import('…')` with a literal, and
 * `new URL('….js', import.meta.url)` (how a module names a worker it forks), found by scanning the compiled text.
 * Only relative specifiers are followed; the scan does not parse, so a specifier quoted in a comment may add a file
 * (more invalidation, never less). Files are named relative to the entry module's folder, so a copy of the tree
 * elsewhere has the same version. Assets read at run time (data files, wasm binaries of packages other than through
 * their version) are not part of it.
 *
 * Computed once per process and module, then memoised: the code a process runs is the code it loaded.
 * `forgetCodeVersions()` drops the memo (tests; a caller that knows the files changed).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertObject, assertString, projectRoot } from '../core/index.js';
import { configHash } from './hash.js';

export interface CodeVersion {
  /** sha256 (hex) of the files and package versions below. */
  readonly version: string;
  /** The entry module (absolute path). */
  readonly module: string;
  /** Every module of the graph, relative to the entry module's folder (posix separators), sorted. */
  readonly files: readonly string[];
  /** Installed version of each package the graph imports by name ("not installed" if it cannot be found). */
  readonly packages: Readonly<Record<string, string>>;
}

const memo = new Map<string, CodeVersion>();

/** Drops every memoised version, so the next codeVersion() reads the files again. */
export function forgetCodeVersions(): void {
  memo.clear();
}

/** A module path or file: URL, as an absolute path. */
export function modulePathOf(module: string | URL): string {
  if (module instanceof URL) return fileURLToPath(module);
  if (typeof module !== 'string' || module === '') {
    throw new TypeError(`module must be a non-empty path or file: URL, got ${JSON.stringify(module)}`);
  }
  return module.startsWith('file:') ? fileURLToPath(module) : resolve(module);
}

/**
 * configHash of `config` together with the code version of `module`: a cache folder's name for results of that
 * configuration computed by that code (e.g. `cacheDir('models', 'vscc', codeKeyedHash(cfg, import.meta.url))`).
 */
export function codeKeyedHash(config: unknown, module: string | URL): string {
  return configHash({ config, code: codeVersion(module).version });
}

/** A path relative to the project root (posix separators) when it lies inside it, else the absolute path. */
export function projectRelative(path: string): string {
  const rel = relative(projectRoot(), path);
  return isAbsolute(rel) || rel.startsWith('..') ? path : rel.split('\\').join('/');
}

/**
 * The code version of `module` (a compiled .js path or file: URL), memoised per process; `{ fresh: true }` reads the
 * files again and leaves the memo alone (for code another process is about to load, e.g. sweep workers).
 */
export function codeVersion(module: string | URL, opts: { readonly fresh?: boolean } = {}): CodeVersion {
  assertObject('options', opts);
  const entry = modulePathOf(module);
  const hit = opts.fresh ? undefined : memo.get(entry);
  if (hit) return hit;
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new RangeError(`module ${entry} does not exist (build first?)`);
  }
  const graph = importGraph(entry);
  const base = dirname(entry);
  const hash = createHash('sha256').update('semcom-code/1\n');
  const files: string[] = [];
  for (const f of graph.files) {
    const name = relative(base, f).split('\\').join('/');
    files.push(name);
    hash.update(`file ${name} ${createHash('sha256').update(readFileSync(f)).digest('hex')}\n`);
  }
  const packages: Record<string, string> = {};
  for (const p of graph.packages) {
    packages[p.name] = p.version;
    hash.update(`package ${p.name} ${p.version}\n`);
  }
  const out: CodeVersion = { version: hash.digest('hex'), module: entry, files, packages };
  if (!opts.fresh) memo.set(entry, out);
  return out;
}

const STATIC = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?(['"])([^'"\n]+)\1/g;
const DYNAMIC = /(?:^|[^\w$.])import\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const URL_REF = /new\s+URL\(\s*(['"])(\.{1,2}\/[^'"\n]+\.[cm]?js)\1\s*,\s*import\.meta\.url\s*\)/g;

/** The specifiers a compiled module names (static, dynamic with a literal, and worker URLs). */
export function moduleSpecifiers(source: string): string[] {
  assertString('source', source);
  const out = new Set<string>();
  for (const re of [STATIC, DYNAMIC, URL_REF]) {
    re.lastIndex = 0;
    for (let m = re.exec(source); m; m = re.exec(source)) out.add(m[2]);
  }
  return [...out];
}

const BUILTIN = new Set(builtinModules);

/** npm package name of a bare specifier, or null for node builtins and relative/absolute paths. */
function packageName(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('file:')) return null;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTIN.has(name) ? null : name;
}

/** Node's lookup: the nearest node_modules/<name>/package.json above `from`. */
function installedVersion(name: string, from: string): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      try {
        return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? 'unknown');
      } catch {
        return 'unreadable';
      }
    }
    const up = dirname(dir);
    if (up === dir) return 'not installed';
    dir = up;
  }
}

/** Every installed @tensorflow/* package (name → version), looked up from `from`. */
function tensorflowPackages(from: string): Map<string, string> {
  const out = new Map<string, string>();
  let dir = from;
  for (;;) {
    const scope = join(dir, 'node_modules', '@tensorflow');
    if (existsSync(scope)) {
      for (const n of readdirSync(scope).sort()) {
        const name = `@tensorflow/${n}`;
        if (existsSync(join(scope, n, 'package.json'))) out.set(name, installedVersion(name, dir));
      }
      return out;
    }
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}

/**
 * The modules reachable from `entry` through relative specifiers (absolute paths, sorted, entry included) and the
 * packages named by bare specifiers (sorted by name; those that are not installed are left out: a name quoted in a
 * comment is not a dependency).
 */
export function importGraph(entry: string): { files: string[]; packages: { name: string; version: string }[] } {
  assertString('entry', entry);
  const seen = new Set<string>();
  const pkgs = new Map<string, string>();
  const stack = [resolve(entry)];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const spec of moduleSpecifiers(source)) {
      if (spec.startsWith('./') || spec.startsWith('../')) {
        const target = resolve(dirname(file), spec.split(/[?#]/)[0]);
        const isModule = /\.[cm]?js$/.test(target) && existsSync(target) && statSync(target).isFile();
        if (!seen.has(target) && isModule) stack.push(target);
        continue;
      }
      const name = packageName(spec);
      if (name === null || pkgs.has(name)) continue;
      const version = installedVersion(name, dirname(file));
      if (version === 'not installed') continue;
      pkgs.set(name, version);
      if (name.startsWith('@tensorflow/')) for (const [n, v] of tensorflowPackages(dirname(file))) pkgs.set(n, v);
    }
  }
  return {
    files: [...seen].sort(),
    packages: [...pkgs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, version]) => ({ name, version })),
  };
}
