/**
 * Intervals over training seeds AND test patches. With several training seeds every model is scored on the same test
 * patches once per seed: a crossed seed × patch design. The interval of a mean (or of a paired difference, A − B per
 * seed and patch, the two methods paired by seed: seed s of every method starts from the same seed-s warm start) is a
 * two-way percentile bootstrap (Owen 2007, "The pigeonhole bootstrap", Ann. Appl. Stat. 1(2)): each resample draws S
 * seeds with replacement AND n patches with replacement, independently, and takes the mean over every drawn
 * (seed, patch) pair. It carries the spread between seeds (a method's whole curve moving with the training run) as
 * well as the spread between patches; the pigeonhole bootstrap is known to be slightly conservative. With one seed
 * it is the percentile bootstrap over patches (paired for a difference). With few seeds (2–3) the seed draw is
 * coarse: the seed part of the variance is under-estimated by the factor (S − 1)/S, which the text of every claim
 * built on it states by naming S. docs/papers/vscc.md#evaluation.
 */
import { Rng, assertInteger } from '../../core/index.js';
import { quantileSorted, type Estimate } from '../../metrics/index.js';

/** One seed's per-patch scores (every seed scores the same patches in the same order). */
export interface SeedScores {
  readonly seed: number;
  readonly values: readonly number[];
}

export interface SeedBootstrapOptions {
  /** Resamples B (default 2000). */
  readonly resamples?: number;
  /** Seed of the resampling stream (default 1). */
  readonly seed?: number;
}

function checkRows(name: string, rows: readonly SeedScores[]): number {
  if (!Array.isArray(rows) || rows.length === 0) throw new RangeError(`${name} must hold at least one seed's scores`);
  const n = rows[0].values.length;
  if (n < 2) throw new RangeError(`${name} must score at least 2 patches, got ${n}`);
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.seed)) throw new RangeError(`${name} lists seed ${r.seed} twice`);
    seen.add(r.seed);
    if (r.values.length !== n) throw new RangeError(`${name}: every seed must score the same ${n} patches; seed ${r.seed} has ${r.values.length}`);
    r.values.forEach((v: number, i: number) => {
      if (!Number.isFinite(v)) throw new RangeError(`${name}: seed ${r.seed}, patch ${i} is not a finite number (${String(v)})`);
    });
  }
  return n;
}

/** Mean over seeds and patches with the two-way (seed × patch) percentile-bootstrap 95 % interval. */
export function seedPatchMean(rows: readonly SeedScores[], o: SeedBootstrapOptions = {}): Estimate {
  const n = checkRows('rows', rows);
  const b = o.resamples ?? 2000;
  assertInteger('resamples', b, 100, 1_000_000);
  const rng = new Rng(o.seed ?? 1);
  const S = rows.length;
  const x = rows.map((r) => r.values);
  let total = 0;
  for (const v of x) for (const y of v) total += y;
  const counts = new Float64Array(n);
  const seedCounts = new Float64Array(S);
  const stats = new Float64Array(b);
  for (let r = 0; r < b; r++) {
    seedCounts.fill(0);
    if (S === 1) seedCounts[0] = 1;
    else for (let s = 0; s < S; s++) seedCounts[rng.int(S)]++;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    let sum = 0;
    for (let s = 0; s < S; s++) {
      if (seedCounts[s] === 0) continue;
      let w = 0;
      const v = x[s];
      for (let i = 0; i < n; i++) w += counts[i] * v[i];
      sum += seedCounts[s] * w;
    }
    stats[r] = sum / (S * n);
  }
  stats.sort();
  const how = S === 1 ? `percentile bootstrap over ${n} patches (one training seed)` : `two-way percentile bootstrap over ${S} training seeds × ${n} patches`;
  return { value: total / (S * n), ci95: [quantileSorted(stats, 0.025), quantileSorted(stats, 0.975)], n, method: `${how}, B = ${b}` };
}

/**
 * A − B paired by seed and patch, over the seeds both have (at least one), with the two-way interval of its mean;
 * `seeds` lists the seeds used.
 */
export function seedPatchDifference(a: readonly SeedScores[], b: readonly SeedScores[], o: SeedBootstrapOptions = {}): Estimate & { readonly seeds: readonly number[] } {
  checkRows('a', a);
  checkRows('b', b);
  const common = a.filter((r) => b.some((q) => q.seed === r.seed)).map((r) => r.seed).sort((p, q) => p - q);
  if (common.length === 0) throw new RangeError(`a and b share no training seed (a: ${a.map((r) => r.seed).join(', ')}; b: ${b.map((r) => r.seed).join(', ')})`);
  const rows = common.map((seed) => {
    const va = (a.find((r) => r.seed === seed) as SeedScores).values;
    const vb = (b.find((r) => r.seed === seed) as SeedScores).values;
    if (va.length !== vb.length) throw new RangeError(`a and b must score the same patches; seed ${seed}: ${va.length} and ${vb.length}`);
    return { seed, values: va.map((v, i) => v - vb[i]) };
  });
  const e = seedPatchMean(rows, o);
  return { ...e, method: `paired ${e.method}`, seeds: common };
}

/** "3 training seeds (1, 2, 3)" / "one training seed (1)": the seeds behind a set of estimates. */
export function seedText(seedSets: readonly (readonly number[])[]): string {
  const counts = [...new Set(seedSets.map((s) => s.length))].sort((p, q) => p - q);
  const all = [...new Set(seedSets.flat())].sort((p, q) => p - q);
  const word = (k: number) => (k === 1 ? 'one training seed' : `${k} training seeds`);
  if (counts.length === 1) return `${word(counts[0])} per compared model (${all.join(', ')}), paired by seed`;
  return `${counts.join('–')} training seeds per part (the seeds both compared models have; seeds ${all.join(', ')}), paired by seed`;
}
