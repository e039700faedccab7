// Subtitle wrapping (lib/plot/charts.ts titleBlock): reference = the input words themselves — wrapping must keep
// every word in order, never exceed the width unless a single word does, and never split a word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBTITLE_WRAP, titleBlock, wrapLine } from '../../lib/plot/charts.js';
import { FIGURE_STYLE, withDefaults } from '../../lib/plot/render.js';
import { projectRoot } from '../../lib/core/index.js';

test('wrapLine keeps the words in order, within the width, splitting only at spaces', () => {
  const words = Array.from({ length: 60 }, (_, i) => 'w'.repeat(1 + ((i * 7) % 13)));
  const line = words.join(' ');
  for (const width of [10, 24, 40, 96]) {
    const pieces = wrapLine(line, width);
    assert.deepEqual(pieces.join(' ').split(' '), words);
    for (const p of pieces) assert.ok(p.length <= width || !p.includes(' '), `${p.length} > ${width}`);
    // greedy: the next word would not have fitted on the previous line
    for (let i = 1; i < pieces.length; i++) {
      assert.ok(pieces[i - 1].length + 1 + pieces[i].split(' ')[0].length > width);
    }
  }
  assert.deepEqual(wrapLine('short line'), ['short line']);
  assert.deepEqual(wrapLine('x'.repeat(120) + ' y', 96), ['x'.repeat(120), 'y']);
  assert.throws(() => wrapLine('a b', 3), /width must be an integer ≥ 10/);
});

test('titleBlock wraps each subtitle line and keeps short ones as they are', () => {
  assert.deepEqual(titleBlock('T'), { text: 'T' });
  assert.deepEqual(titleBlock('T', 'one short line'), { text: 'T', subtitle: 'one short line' });
  const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  const block = titleBlock('T', ['first', long]) as { subtitle: string[] };
  assert.equal(block.subtitle[0], 'first');
  assert.ok(block.subtitle.length >= 4);
  for (const l of block.subtitle) assert.ok(l.length <= SUBTITLE_WRAP);
});

test('withDefaults wraps the subtitle of a spec that built its own title object (notebook cells do)', () => {
  const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  const spec = withDefaults({ title: { text: 'T', subtitle: long, anchor: 'start' }, mark: 'point' });
  const t = spec.title as { text: string; subtitle: string[]; anchor: string };
  assert.equal(t.text, 'T');
  assert.equal(t.anchor, 'start');
  assert.deepEqual(t.subtitle.join(' ').split(' '), long.split(' '));
  for (const l of t.subtitle) assert.ok(l.length <= SUBTITLE_WRAP);
  assert.equal(withDefaults({ title: 'plain', mark: 'point' }).title, 'plain');
});

test('committed figures of the current style have no subtitle line longer than SUBTITLE_WRAP', () => {
  const root = join(projectRoot(), 'figures');
  for (const paper of readdirSync(root)) {
    const results = join(root, paper, 'results.json');
    if (!existsSync(results)) continue;
    const style = (JSON.parse(readFileSync(results, 'utf8')) as { provenance: { figureStyle?: number } }).provenance
      .figureStyle ?? 1;
    if (style < FIGURE_STYLE) continue; // reported as stale by figure-style.test
    for (const f of readdirSync(join(root, paper)).filter((n) => n.endsWith('.vl.json'))) {
      const spec = JSON.parse(readFileSync(join(root, paper, f), 'utf8')) as { title?: { subtitle?: string | string[] } };
      const sub = spec.title?.subtitle;
      for (const l of sub === undefined ? [] : Array.isArray(sub) ? sub : [sub]) {
        const longest = Math.max(...l.split(' ').map((w) => w.length));
        assert.ok(l.length <= Math.max(SUBTITLE_WRAP, longest), `${paper}/${f}: subtitle line of ${l.length} chars`);
      }
    }
  }
});
