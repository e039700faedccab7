/**
 * Checks on the committed notebooks that catch tslab pitfalls before they reach a kernel:
 * - tslab fails on a shorthand property (`{ x }`) that refers to a variable from an earlier cell (ReferenceError);
 *   write `{ x: x }`.
 * - notebooks are committed without outputs, with a `parameters` cell and a `metadata.workbook.paper`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { projectRoot } from '../../lib/core/index.js';
import { declaredParameters, hasOutputs, listNotebooks, readNotebook } from '../../lib/workbook/index.js';

const src = (s: string | string[]) => (Array.isArray(s) ? s.join('') : s);

function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of code.matchAll(/^import\s+\*\s+as\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of code.matchAll(/^import\s*\{([^}]*)\}/gm)) for (const n of m[1].split(',')) names.add(n.trim().split(/\s+as\s+/).pop() ?? '');
  return names;
}

/** Shorthand properties in object literals: an identifier alone between `{`/`,` and `,`/`}` whose innermost
 *  open bracket is a brace (so call arguments and array items do not count). Imports, destructuring
 *  declarations, comments and strings are removed first. */
export function shorthandNames(code: string): string[] {
  const body = code
    .replace(/^import[^;]*;/gm, '')
    .replace(/(?:const|let|var)\s*\{[^}]*\}\s*=/g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  const out: string[] = [];
  const stack: string[] = [];
  const tokens = body.match(/[A-Za-z_$][\w$]*|\.\.\.|[{}()[\],]|[^\s\w${}()[\],]+/g) ?? [];
  tokens.forEach((t, i) => {
    if (t === '{' || t === '(' || t === '[') stack.push(t);
    else if (t === '}' || t === ')' || t === ']') stack.pop();
    else if (/^[A-Za-z_$]/.test(t) && stack[stack.length - 1] === '{') {
      const prev = tokens[i - 1], next = tokens[i + 1];
      if ((prev === '{' || prev === ',') && (next === ',' || next === '}')) out.push(t);
    }
  });
  return out;
}

test('the lint finds shorthand properties (self-check)', () => {
  assert.deepEqual(shorthandNames("f({ a, b: 1, c });\nimport { x, y } from 'z';\nconst { p, q } = o;"), ['a', 'c']);
  assert.deepEqual(shorthandNames("g(p, q, { r: [s, t], u });\nh({ ...v, w: x(y, z) });"), ['u']);
});

for (const path of listNotebooks()) {
  const nb = readNotebook(path);
  test(`${path.slice(projectRoot().length + 1)}: clean, parameterised, no cross-cell shorthand properties`, () => {
    assert.equal(hasOutputs(nb), false, 'committed without outputs');
    assert.ok(declaredParameters(nb).index >= 0, 'has a cell tagged parameters');
    assert.ok(typeof nb.metadata.workbook?.paper === 'string', 'metadata.workbook.paper');
    const cells = nb.cells.filter((c) => c.cell_type === 'code').map((c) => src(c.source));
    cells.forEach((code, i) => {
      const earlier = new Set(cells.slice(0, i).flatMap((c) => [...declaredNames(c)]));
      const own = declaredNames(code);
      const bad = shorthandNames(code).filter((n) => earlier.has(n) && !own.has(n));
      assert.deepEqual(bad, [], `code cell ${i + 1} uses shorthand properties of earlier-cell variables (tslab fails): ${bad.join(', ')}`);
    });
  });
}


test('a notebook opened interactively uses the quick sizes and never writes the committed figures/', () => {
  for (const nb of listNotebooks()) {
    const parsed = readNotebook(nb);
    const { names } = declaredParameters(parsed);
    const outDir = names.get('outDir');
    assert.ok(outDir !== undefined, `${nb}: declares outDir`);
    assert.ok(outDir.includes('build/interactive'), `${nb}: default outDir must be under build/interactive/, got ${outDir}`);
    const profiles = parsed.metadata.workbook?.profiles ?? {};
    const quick = profiles.quick ?? {};
    const full = profiles.full ?? {};
    for (const [k, v] of Object.entries(quick)) {
      const declared = names.get(k);
      assert.ok(declared !== undefined, `${nb}: quick parameter ${k} is declared`);
      assert.deepEqual(JSON.parse(declared), v, `${nb}: default of ${k} equals the quick profile's value`);
      assert.ok(k in full, `${nb}: the full profile gives ${k} too`);
    }
  }
});
