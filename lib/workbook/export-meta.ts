/**
 * The first page of an exported notebook: the paper's title and authors, its citation, and the run's provenance.
 *
 * - Title, authors, citation: the first paragraph of the `## Citation` section of `docs/papers/<paper>.md`, where
 *   the title is the first quoted ("…") or emphasised (*…*) span, the authors what precedes it, and the citation
 *   runs to the end of the sentence holding the title. Without a paper (a fixture), the notebook's first heading.
 * - Provenance: `results.json` of the run (written by lib/workbook/session.ts): commit, profile, date, seed,
 *   backend and wall time. It is found where the run wrote it: the notebook's injected `outDir` parameter is
 *   relative to the source notebook's folder (see parametersFor in runner.ts), else the profile's default folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../core/index.js';
import type { Notebook } from './notebook.js';
import type { Provenance } from './provenance.js';
import { figuresRootFor, notebooksDir, PROFILES, type Profile } from './runner.js';

export interface CitationInfo {
  /** The paper's title (null when the citation holds no quoted or emphasised title). */
  title: string | null;
  authors: string | null;
  /** Markdown: authors, title, venue and date. */
  citation: string;
}

export interface TitlePage {
  title: string;
  /** The notebook's own heading when it differs from the paper's title. */
  subtitle: string | null;
  authors: string | null;
  /** Markdown. */
  citation: string | null;
  /** Where the paper's notes live, relative to the project root. */
  notes: string | null;
  /** Label → value, in order. */
  provenance: [string, string][];
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Parse the first paragraph of a `## Citation` section (see the file header). Null when there is none. */
export function parseCitation(markdown: string): CitationInfo | null {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^##\s+Citation\s*$/i.test(l));
  if (start < 0) return null;
  const para: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^#/.test(l)) break;
    if (l.trim() === '') {
      if (para.length > 0) break;
      continue;
    }
    para.push(l);
  }
  if (para.length === 0) return null;
  const text = oneLine(para.join(' '));
  const m = /"([^"]+)"|\*([^*]+)\*/.exec(text);
  if (!m) return { title: null, authors: null, citation: text };
  const title = oneLine(m[1] ?? m[2]).replace(/[.,]$/, '');
  const authors = oneLine(text.slice(0, m.index)).replace(/[.,:]+$/, '') || null;
  const after = text.slice(m.index + m[0].length);
  // The sentence holding the title ends at the first '.' followed by a space or the end (not "arXiv:2410.08222").
  const end = /\.(\s|$)/.exec(after);
  const citation = (text.slice(0, m.index + m[0].length) + (end ? after.slice(0, end.index + 1) : after)).trim();
  return { title, authors, citation };
}

function firstHeading(nb: Notebook): string | null {
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    const src = Array.isArray(c.source) ? c.source.join('') : c.source;
    const h = /^#\s+(.+)$/m.exec(src);
    if (h) return oneLine(h[1]);
  }
  return null;
}

interface ResultsLike { paper?: string; provenance?: Partial<Provenance> }

/** The run's results.json for an executed notebook, or null (see the file header for where it is looked for). */
export function findResults(nb: Notebook): { path: string; results: ResultsLike } | null {
  const wb = nb.metadata.workbook;
  const paper = wb?.paper;
  if (!paper) return null;
  const roots: string[] = [];
  const outDir = wb?.parameters?.outDir;
  if (typeof outDir === 'string') roots.push(resolve(notebooksDir(), outDir));
  const profile = wb?.profile;
  if (typeof profile === 'string' && (PROFILES as readonly string[]).includes(profile)) {
    roots.push(figuresRootFor(profile as Profile));
  }
  for (const root of roots) {
    const path = join(root, paper, 'results.json');
    if (!existsSync(path)) continue;
    try {
      const results = JSON.parse(readFileSync(path, 'utf8')) as ResultsLike;
      // A results.json of another profile is another run: it does not describe this notebook.
      const theirs = results.provenance?.profile;
      if (theirs !== undefined && profile !== undefined && theirs !== profile) continue;
      return { path, results };
    } catch {
      continue;
    }
  }
  return null;
}

function formatDate(iso: string | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Everything the first page shows, for the executed notebook `nb` at `path`. */
export function titlePageFor(nb: Notebook, path: string): TitlePage {
  const paper = nb.metadata.workbook?.paper ?? null;
  const heading = firstHeading(nb);
  const notesPath = paper ? join('docs', 'papers', `${paper}.md`) : null;
  const notesFile = notesPath ? join(projectRoot(), notesPath) : null;
  const cite = notesFile && existsSync(notesFile) ? parseCitation(readFileSync(notesFile, 'utf8')) : null;
  const title = cite?.title ?? heading ?? path.replace(/^.*\//, '').replace(/\.ipynb$/, '');
  const provenance: [string, string][] = [];
  const found = findResults(nb);
  const p = found?.results.provenance;
  const profile = p?.profile ?? nb.metadata.workbook?.profile;
  if (p?.commit) provenance.push(['commit', `${p.commit.slice(0, 12)}${p.dirty ? ' (with uncommitted changes)' : ''}`]);
  if (profile) provenance.push(['profile', String(profile)]);
  const date = formatDate(p?.startedAt);
  if (date) provenance.push(['run started', date]);
  if (typeof p?.wallSeconds === 'number') provenance.push(['wall time', `${p.wallSeconds.toFixed(0)} s`]);
  if (p?.seed !== undefined && p.seed !== null) provenance.push(['seed', String(p.seed)]);
  if (p?.backend) provenance.push(['backend', p.backend]);
  if (p?.node) provenance.push(['Node.js', `${p.node} (${p.platform ?? ''})`]);
  if (!found) provenance.push(['results.json', 'not found: commit and date of the run unknown']);
  return {
    title,
    subtitle: heading && heading !== title ? heading : null,
    authors: cite?.authors ?? null,
    citation: cite?.citation ?? null,
    notes: notesFile && existsSync(notesFile) ? notesPath : null,
    provenance,
  };
}
