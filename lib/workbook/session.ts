/**
 * A paper run inside a notebook: where outputs go, the seed, and `results.json` — every number behind every
 * figure and table, plus the paper's claims beside ours, with provenance.
 *
 * Outputs are all-or-nothing (lib/workbook/outputs.ts): the run writes into a staging folder beside
 * `<outDir>/<paper>` and the folder is replaced only when the run succeeds, so a failed or interrupted run leaves the
 * previous output as it was, never a mix of two runs. Under `workbook run` the runner holds the output's lock and
 * commits once the whole notebook has run (this kernel joins its staging folder); run interactively, the kernel takes
 * the lock at startRun() and finish() commits. results.json is still rewritten (atomically, in the staging folder)
 * after each figure or table. Paths recorded in results.json are the final ones (`<paper>/<file>`).
 */
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/index.js';
import { saveFigure, show } from '../plot/figure.js';
import { jsonSafeRows, type Row } from '../plot/csv.js';
import { setOutputRoot, setPaperOutputDir } from '../plot/output.js';
import type { VegaLiteSpec } from '../plot/render.js';
import { saveTable, showTable, rowsOf, type FrameLike } from '../plot/table.js';
import { displayBundle, showMarkdown } from '../plot/display.js';
import { outputPath } from '../plot/output.js';
import { beginOutput, joinOutput, type OutputTransaction } from './outputs.js';
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

/** The live run of each paper in this process: a newer startRun() supersedes it. */
const current = new Map<string, PaperRun>();

export class PaperRun {
  readonly results: ResultsFile;
  private readonly started = Date.now();
  /** Where results.json will be once the run has succeeded (`<outDir>/<paper>/results.json`). */
  readonly resultsPath: string;
  /** The folder this run writes into until it succeeds. */
  readonly stagingDir: string;
  /** This process's hold on the output folder; null when `workbook run` holds it (and commits). */
  private readonly transaction: OutputTransaction | null;
  private state: 'open' | 'finished' | 'superseded' = 'open';

  constructor(readonly config: RunConfig) {
    checkRunConfig(config);
    if (!/^[a-z0-9_-]+$/.test(config.paper)) throw new RangeError(`paper must be a short lowercase name, got ${JSON.stringify(config.paper)}`);
    if (typeof config.outDir !== 'string' || config.outDir === '') {
      throw new RangeError(`outDir must be a non-empty path, got ${JSON.stringify(config.outDir)}`);
    }
    const root = resolve(config.outDir);
    const runner = Number(process.env.WORKBOOK_RUNNER_PID);
    const joined = Number.isSafeInteger(runner) && runner > 0 ? joinOutput(root, config.paper, runner) : null;
    const previous = current.get(config.paper);
    if (previous) previous.supersede();
    this.transaction = joined ? null : beginOutput(root, config.paper);
    this.stagingDir = joined ? joined.staging : (this.transaction as OutputTransaction).staging;
    current.set(config.paper, this);
    if (this.transaction) process.once('exit', this.abandonOnExit);
    setOutputRoot(config.outDir);
    setPaperOutputDir(config.paper, this.stagingDir);
    this.resultsPath = join(root, config.paper, 'results.json');
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
    this.assertOpen();
    this.results.provenance.backend = backend;
    this.flush();
  }

  /**
   * Save a figure (Vega-Lite JSON, SVG, PNG, CSV), record its rows, and display it. Resolves to nothing so that a
   * cell ending in `await run.figure(...)` shows the figure, not an echo of the saved object (paths are in results.json).
   */
  async figure(id: string, spec: VegaLiteSpec, rows: readonly Row[], note?: string): Promise<void> {
    this.assertOpen();
    const saved = await saveFigure(this.config.paper, id, spec, rows);
    const title = (spec.title as { text?: string } | string | undefined) ?? id;
    this.results.figures[id] = {
      files: Object.values(saved.files).map((f) => this.recorded(f)),
      spec_title: typeof title === 'string' ? title : (title.text ?? id),
      ...(note ? { note } : {}),
      rows: jsonSafeRows(rows),
    };
    this.flush();
    await show(saved);
  }

  /** Save a table (CSV + Markdown), record its rows, and display it. */
  async table(id: string, frame: FrameLike | readonly Row[], opts: { digits?: number; caption?: string } = {}): Promise<void> {
    this.assertOpen();
    const saved = await saveTable(this.config.paper, id, frame, opts);
    this.results.tables[id] = {
      files: Object.values(saved.files).map((f) => this.recorded(f)),
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
    this.assertOpen();
    const files = { png: outputPath(this.config.paper, id, 'png'), svg: outputPath(this.config.paper, id, 'svg') };
    writeFileAtomic(files.png, picture.png);
    writeFileAtomic(files.svg, picture.svg);
    const recorded = Object.values(files).map((f) => this.recorded(f));
    this.results.figures[id] = { files: recorded, spec_title: caption, rows: [] };
    this.flush();
    displayBundle({ 'image/svg+xml': picture.svg, 'image/png': Buffer.from(picture.png).toString('base64'), 'text/plain': `<image: ${caption}>` });
    showMarkdown(`*${caption}*`);
  }

  /** Record a named number (or small object) in results.json. */
  record(key: string, value: unknown): void {
    this.assertOpen();
    this.results.values[key] = value;
    this.flush();
  }

  /**
   * Record checked claims (built by lib/papers/<paper>/claims.ts through lib/workbook/verdict.ts), replacing any
   * earlier claim with the same id, and show the claims table.
   */
  claims(list: readonly Claim[]): void {
    this.assertOpen();
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

  /**
   * Records the wall time and ends the run. Run interactively, this replaces `<outDir>/<paper>` by what the run wrote;
   * under `workbook run`, the runner does that once the whole notebook has run. Nothing can be written after it.
   */
  finish(): ResultsFile {
    this.assertOpen();
    this.results.provenance.wallSeconds = (Date.now() - this.started) / 1000;
    this.flush();
    this.state = 'finished';
    if (current.get(this.config.paper) === this) {
      current.delete(this.config.paper);
      setPaperOutputDir(this.config.paper, null);
    }
    if (this.transaction) {
      process.off('exit', this.abandonOnExit);
      this.transaction.commit();
    }
    return this.results;
  }

  /** A newer startRun() of the same paper in this process took over (a notebook's first cells run again). */
  private supersede(): void {
    if (this.state !== 'open') return;
    this.state = 'superseded';
    if (this.transaction) {
      process.off('exit', this.abandonOnExit);
      this.transaction.abort(); // its staging folder goes; the new run takes the lock again
    }
  }

  /** The kernel exits without finish(): the staging folder goes, the previous output stays, the lock is released. */
  private readonly abandonOnExit = (): void => {
    if (this.state === 'open') this.transaction?.abort();
  };

  private assertOpen(): void {
    const paper = this.config.paper;
    if (this.state === 'finished') throw new Error(`the ${paper} run has finished (run.finish()): start a new one`);
    if (this.state === 'superseded') throw new Error(`this ${paper} run was replaced by a newer startRun()`);
  }

  /** A written file as results.json names it: `<paper>/<file>`, wherever the staging folder is. */
  private recorded(file: string): string {
    return `${this.config.paper}/${basename(file)}`;
  }

  private flush(): void {
    writeJsonAtomic(join(this.stagingDir, 'results.json'), this.results);
  }
}

export function startRun(config: RunConfig): PaperRun {
  return new PaperRun(config);
}
