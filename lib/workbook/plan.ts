/**
 * `workbook plan <paper>`: what a run of the notebook would train — each sweep's configurations (description, hash
 * prefix), whether each is cached, the shard that owns it (with --shards n: (first 48 bits of its hash mod n) + 1, as
 * lib/nn/sweep-coord.ts assigns them) and an estimated cost (the elapsedMs of a cache entry for the same configuration
 * under another code version, else none).
 *
 * How: the notebook is executed with SEMCOM_SWEEP_MODE=plan; each runSweep appends its sweep to a temporary plan file
 * (JSON lines) and trains nothing. A sweep whose entries are all cached returns them and the notebook goes on; the
 * first sweep with missing entries stops the notebook (SweepPlanStop), since later sweeps may be chosen from its
 * results (VSCC's transmitted-variance sweep uses the CMC chosen from the first). The kernel's figures go to a
 * temporary folder that is removed: plan writes nothing to figures/, build/<profile>/ or the result caches.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PlanSweep } from '../nn/sweep-coord.js';
import type { ParamValue } from './notebook.js';
import { CellError, runNotebook, type Profile } from './runner.js';

export interface NotebookPlan {
  readonly notebook: string;
  readonly profile: Profile;
  readonly shards: number | null;
  readonly sweeps: readonly PlanSweep[];
  /** False when the plan stopped at a sweep with missing entries (later sweeps depend on its results). */
  readonly complete: boolean;
}

export interface PlanOptions {
  readonly profile: Profile;
  readonly shards?: number;
  readonly params?: Record<string, ParamValue>;
  readonly onProgress?: (line: string) => void;
}

/** Reads the plan file's JSON lines (none: no sweep ran). */
export function readPlanFile(file: string): PlanSweep[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PlanSweep);
}

/** Executes the notebook in plan mode and returns its plan (see the file header). */
export async function planNotebook(path: string, opts: PlanOptions): Promise<NotebookPlan> {
  const work = mkdtempSync(join(tmpdir(), 'workbook-plan-'));
  const planFile = join(work, 'plan.jsonl');
  try {
    let complete = true;
    try {
      await runNotebook(path, {
        profile: opts.profile, params: opts.params, outDir: join(work, 'notebooks'), figuresRoot: join(work, 'figures'),
        sweeps: { mode: 'plan', planFile, shards: opts.shards }, onProgress: opts.onProgress, onNotice: () => {},
      });
    } catch (err) {
      const sweeps = readPlanFile(planFile);
      // The stop is the plan's own end; any other failure is a real one.
      if (!(err instanceof CellError) || !sweeps.some((s) => s.stopped)) throw err;
      complete = false;
    }
    return { notebook: basename(path, '.ipynb'), profile: opts.profile, shards: opts.shards ?? null, sweeps: readPlanFile(planFile), complete };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const seconds = (ms: number | null): string => {
  if (ms === null) return '—';
  const s = ms / 1000;
  return s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
};

/** The plan as text: one table per sweep, then totals (per shard with --shards). */
export function formatPlan(plan: NotebookPlan): string {
  const lines: string[] = [];
  const all = plan.sweeps.flatMap((s) => s.entries);
  const missing = all.filter((e) => !e.cached);
  lines.push(`${plan.notebook} (profile ${plan.profile}): ${plan.sweeps.length} sweep(s), ${all.length} configuration(s), ${all.length - missing.length} cached, ${missing.length} to train${plan.shards ? `, ${plan.shards} shard(s)` : ''}`);
  if (plan.sweeps.length === 0) lines.push('no sweep ran: this notebook trains nothing through sweeps (nothing to shard)');
  plan.sweeps.forEach((s, i) => {
    lines.push('', `sweep ${i + 1}: ${s.module}#${s.exportName} (${s.entries.length} configuration(s), cache ${s.cacheDir})`);
    const rows = [['hash', 'cached', ...(plan.shards ? ['shard'] : []), 'est. cost', 'configuration']];
    for (const e of s.entries) {
      rows.push([e.hash.slice(0, 12), e.cached ? 'yes' : 'no', ...(plan.shards ? [e.owner === null ? '—' : `${e.owner}/${plan.shards}`] : []), e.cached ? `${seconds(e.estimateMs)} (done)` : seconds(e.estimateMs), e.description]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) lines.push(`  ${r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]))).join('  ')}`);
  });
  if (!plan.complete) {
    lines.push('', 'the plan stops at the last sweep: it has configurations to train, and later sweeps depend on its results'
      + ' (they are chosen from them); train these, then run `workbook plan` again for the rest.');
  }
  if (plan.shards && missing.length > 0) {
    lines.push('', 'to train, per shard (listed sweeps):');
    for (let k = 1; k <= plan.shards; k++) {
      const mine = missing.filter((e) => e.owner === k);
      const known = mine.filter((e) => e.estimateMs !== null);
      const est = known.reduce((a, e) => a + (e.estimateMs ?? 0), 0);
      lines.push(`  shard ${k}/${plan.shards}: ${mine.length} configuration(s)${known.length ? `, ≈ ${seconds(est)} for the ${known.length} with an estimate` : ''}`);
    }
  }
  return lines.join('\n');
}
