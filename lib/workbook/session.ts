/**
 * A paper run inside a notebook: where outputs go, the seed, and `results.json` — every number behind every
 * figure and table, plus the paper's claims beside ours, with provenance. results.json is rewritten
 * atomically after each figure or table, so an interrupted run keeps what it finished.
 */
import { join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/index.js';
import { saveFigure, show } from '../plot/figure.js';
import { jsonSafeRows, type Row } from '../plot/csv.js';
import { setOutputRoot } from '../plot/output.js';
import type { VegaLiteSpec } from '../plot/render.js';
import { saveTable, showTable, rowsOf, type FrameLike } from '../plot/table.js';
import { displayBundle, showMarkdown } from '../plot/display.js';
import { outputPath } from '../plot/output.js';
import { collectProvenance, type Provenance } from './provenance.js';
import { claimsMarkdown, tallyClaims, type Claim } from './verdict.js';
import { checkRunConfig } from './checks.js';

export interface RunConfig {
  paper: string;
  profile: string;
  /** Folder holding `<paper>/…`; full profile: figures/, quick: build/quick/figures. */
  outDir: string;
  seed?: number | null;
  /** All parameters of the run, recorded as given. */
  params?: Record<string, unknown>;
  /** The compute backend in use (e.g. "tfjs wasm", or "Float64 TypeScript" for exact solvers). */
  backend?: string;
}


export interface ResultsFile {
  paper: string;
  provenance: Provenance;
  figures: Record<string, { files: string[]; spec_title: string; note?: string; rows: Row[] }>;
  tables: Record<string, { files: string[]; rows: Row[] }>;
  values: Record<string, unknown>;
  claims: Claim[];
}

export class PaperRun {
  readonly results: ResultsFile;
  private readonly started = Date.now();
  readonly resultsPath: string;

  constructor(readonly config: RunConfig) {
    checkRunConfig(config);
    if (!/^[a-z0-9_-]+$/.test(config.paper)) throw new RangeError(`paper must be a short lowercase name, got ${JSON.stringify(config.paper)}`);
    setOutputRoot(config.outDir);
    this.resultsPath = join(resolve(config.outDir), config.paper, 'results.json');
    this.results = {
      paper: config.paper,
      provenance: collectProvenance({
        profile: config.profile,
        parameters: config.params ?? {},
        seed: config.seed ?? null,
        backend: config.backend ?? 'unspecified',
      }),
      figures: {},
      tables: {},
      values: {},
      claims: [],
    };
  }

  setBackend(backend: string): void {
    this.results.provenance.backend = backend;
    this.flush();
  }

  /**
   * Save a figure (Vega-Lite JSON, SVG, PNG, CSV), record its rows, and display it. Resolves to nothing so that a
   * cell ending in `await run.figure(...)` shows the figure, not an echo of the saved object (paths are in results.json).
   */
  async figure(id: string, spec: VegaLiteSpec, rows: readonly Row[], note?: string): Promise<void> {
    const saved = await saveFigure(this.config.paper, id, spec, rows);
    const title = (spec.title as { text?: string } | string | undefined) ?? id;
    this.results.figures[id] = {
      files: Object.values(saved.files).map((f) => f.slice(resolve(this.config.outDir).length + 1)),
      spec_title: typeof title === 'string' ? title : (title.text ?? id),
      ...(note ? { note } : {}),
      rows: jsonSafeRows(rows),
    };
    this.flush();
    await show(saved);
  }

  /** Save a table (CSV + Markdown), record its rows, and display it. */
  async table(id: string, frame: FrameLike | readonly Row[], opts: { digits?: number; caption?: string } = {}): Promise<void> {
    const saved = await saveTable(this.config.paper, id, frame, opts);
    this.results.tables[id] = {
      files: Object.values(saved.files).map((f) => f.slice(resolve(this.config.outDir).length + 1)),
      rows: jsonSafeRows(rowsOf(frame)),
    };
    this.flush();
    showTable(saved, opts);
  }

  /**
   * Save a picture that is not a chart (e.g. an image grid) as `<id>.png` and `<id>.svg`, record it, and display it
   * with its caption. The caption goes into results.json as the figure's title.
   */
  async image(id: string, picture: { png: Uint8Array; svg: string }, caption: string): Promise<void> {
    const files = { png: outputPath(this.config.paper, id, 'png'), svg: outputPath(this.config.paper, id, 'svg') };
    writeFileAtomic(files.png, picture.png);
    writeFileAtomic(files.svg, picture.svg);
    this.results.figures[id] = { files: Object.values(files).map((f) => f.slice(resolve(this.config.outDir).length + 1)), spec_title: caption, rows: [] };
    this.flush();
    displayBundle({ 'image/svg+xml': picture.svg, 'image/png': Buffer.from(picture.png).toString('base64'), 'text/plain': `<image: ${caption}>` });
    showMarkdown(`*${caption}*`);
  }

  /** Record a named number (or small object) in results.json. */
  record(key: string, value: unknown): void {
    this.results.values[key] = value;
    this.flush();
  }

  /**
   * Record checked claims (built by lib/papers/<paper>/claims.ts through lib/workbook/verdict.ts), replacing any
   * earlier claim with the same id, and show the claims table.
   */
  claims(list: readonly Claim[]): void {
    if (!Array.isArray(list)) throw new TypeError('claims must be an array of Claim objects (see lib/workbook/verdict.ts)');
    const ids = new Set(list.map((c) => c.id));
    if (ids.size !== list.length) throw new RangeError('claims must have distinct ids');
    this.results.claims = this.results.claims.filter((x) => !ids.has(x.id)).concat(list);
    this.flush();
    this.showClaims();
  }

  /** Show the claims table in the notebook (paper claims, then identity checks, with a tally). */
  showClaims(): void {
    const t = tallyClaims(this.results.claims);
    showMarkdown(`${claimsMarkdown(this.results.claims)}\n\nPaper claims: ${t.reproduced} reproduced, ${t.partly} partly, ${t.notReproduced} not reproduced; identity checks: ${t.identityPassed} passed, ${t.identityFailed} failed.`);
  }

  finish(): ResultsFile {
    this.results.provenance.wallSeconds = (Date.now() - this.started) / 1000;
    this.flush();
    return this.results;
  }

  private flush(): void {
    writeJsonAtomic(this.resultsPath, this.results);
  }
}

export function startRun(config: RunConfig): PaperRun {
  return new PaperRun(config);
}
