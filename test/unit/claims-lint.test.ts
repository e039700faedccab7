/**
 * No verdict is typed in: every paper has lib/papers/<paper>/claims.ts exporting `claims`, and neither those files
 * nor any notebook contains a verdict literal or a `holds:` field — verdicts come only from lib/workbook/verdict.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/core/index.js';
import { listNotebooks, readNotebook } from '../../lib/workbook/index.js';

const PAPERS = ['zepe', 'vscc', 'e2ec', 'codebook'];
const VERDICT_LITERAL = /(['"`])(reproduced|partly|not reproduced|passed|failed)\1/;
const HOLDS_FIELD = /\bholds\s*:/;
const VERDICT_FIELD = /\bverdict\s*:\s*(?!ClaimVerdict|Verdict|IdentityVerdict)/;

/** Lines of `code` that set a verdict by hand (comments removed). */
export function verdictLiterals(code: string): string[] {
  return code
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, ''))
    .filter((l) => VERDICT_LITERAL.test(l) || HOLDS_FIELD.test(l) || VERDICT_FIELD.test(l));
}

test('the lint catches the forms it forbids', () => {
  assert.equal(verdictLiterals("holds: accuracy >= 0.97 ? true : 'partly'").length, 1);
  assert.equal(verdictLiterals("const v = 'reproduced';").length, 1);
  assert.equal(verdictLiterals('return { verdict: x > 1 ? a : b }').length, 1);
  assert.equal(verdictLiterals('parts: [valuePart({ label: "x", paper: 1, ours: e })]').length, 0);
  assert.equal(verdictLiterals('// the verdict: "partly" comes from the rule').length, 0);
});

for (const paper of PAPERS) {
  test(`${paper}: claims.ts exists, exports claims, and types no verdict`, async () => {
    const file = join(projectRoot(), 'lib', 'papers', paper, 'claims.ts');
    assert.ok(existsSync(file), `${file} must exist`);
    const bad = verdictLiterals(readFileSync(file, 'utf8'));
    assert.deepEqual(bad, [], `verdict literals in ${file}`);
    const mod = (await import(join(projectRoot(), 'dist', 'lib', 'papers', paper, 'claims.js'))) as { claims?: unknown };
    assert.equal(typeof mod.claims, 'function', `lib/papers/${paper}/claims.ts must export a function claims(results)`);
  });
}

test('notebooks type no verdict and record claims only through run.claims', () => {
  for (const nb of listNotebooks()) {
    const code = readNotebook(nb).cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
    assert.deepEqual(verdictLiterals(code), [], `verdict literals in ${nb}`);
    assert.ok(!/\brun\.claim\(/.test(code), `${nb} uses the removed run.claim(...)`);
  }
});

test('no reference to files outside the repository (the papers and notes live in docs/papers/)', () => {
  const root = projectRoot();
  const files: string[] = ['README.md', ...listNotebooks().map((n) => n.slice(root.length + 1))];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|py|md)$/.test(e.name)) files.push(rel);
    }
  };
  walk('lib');
  const bad: string[] = [];
  for (const f of files) {
    readFileSync(join(root, f), 'utf8').split('\n').forEach((line, i) => {
      if (/NOTES(\.md| ?§)|shared\/papers|\b(zepe|vscc|e2ec|codebook)\.txt\b/.test(line)) bad.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(bad, [], 'point these at docs/papers/<paper>.md instead');
});

test('every paper has its notes in docs/papers/ with a full citation', () => {
  for (const paper of PAPERS) {
    const file = join(projectRoot(), 'docs', 'papers', `${paper}.md`);
    assert.ok(existsSync(file), `${file} must exist`);
    assert.match(readFileSync(file, 'utf8'), /^#+ .*(Citation|Reference)/im, `${file} must have a Citation section`);
  }
});
