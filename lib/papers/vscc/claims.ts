/**
 * The paper's claims about VSCC, VAE and AE, checked on our test photos with the one verdict rule
 * (lib/workbook/verdict.ts). Every comparison is paired: all models are tested on the same patches with the same
 * channel draws, and a patch's score is the mean over its resamplings (and, for window scores, over the test SNRs
 * t … t + 10 dB of a model trained at t dB, the range §IV-B judges it on). With several training seeds the two
 * models are also paired by seed, and the interval is the two-way (seed × patch) bootstrap of seeds.ts, so it
 * carries the training-seed spread; with one seed it is the paired bootstrap over patches. The VSCC model of a
 * training SNR is the CMC with the best validation window SSIM (first seed's grid); it is then scored on the test
 * split, with every seed. Claims whose inputs the plan lacks (a training or test SNR not in its grid) are left out.
 * See docs/papers/vscc.md#claims-checked.
 */
import type { Estimate } from '../../metrics/index.js';
import { differencePart, paperClaim, type Claim, type ClaimPart } from '../../workbook/index.js';
import { PAPER_BEST_CMC, PAPER_FIG7_POINTS } from './plan.js';
import { bestCmc, chosenCmc, entriesOf, scoresAtBySeed, windowBySeed, type Metric, type Selection, type VsccResults } from './results.js';
import { seedPatchDifference, seedText, type SeedScores } from './seeds.js';

/** Bootstrap resamples of every paired interval. */
export const CLAIM_RESAMPLES = 2000;
/** "Similar" in tests-close (ours; the paper gives no number): the mean transmitted − fixed PSNR within ±1 dB. */
export const TESTS_CLOSE_MARGIN_DB = 1;
/** Fig. 7(c) speaks of test SNRs "above 10 dB": the test SNRs that claim is checked on. */
export const HIGH_TEST_SNR_DB = 10;

/**
 * margin − |x| for the estimate x, with the image of x's interval under that map: [lo, hi] ↦ [margin − max|·|,
 * margin − min|·|] (min |·| = 0 when the interval straddles 0). It contains margin − |x_true| whenever x's interval
 * contains x_true, so it is a 95 % interval too; it lies above 0 exactly when x's whole interval lies inside ±margin.
 */
export function marginLessAbs(x: Estimate, margin: number): Estimate {
  const [lo, hi] = x.ci95;
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
  const minAbs = lo <= 0 && hi >= 0 ? 0 : Math.min(Math.abs(lo), Math.abs(hi));
  return { ...x, value: margin - Math.abs(x.value), ci95: [margin - maxAbs, margin - minAbs] };
}
const UNIT: Record<Metric, string> = { psnr: 'dB (PSNR)', ssim: 'SSIM' };
const NAME: Record<Metric, string> = { psnr: 'PSNR', ssim: 'SSIM' };

/** The paper's claims, from the typed results (see the header for the method). */
export function claims(r: VsccResults): Claim[] {
  // The seeds behind each claim's parts, collected as its differences are computed (parts come before `method`).
  let used: (readonly number[])[] = [];
  const diff = (a: readonly SeedScores[], b: readonly SeedScores[]): Estimate => {
    const e = seedPatchDifference(a, b, { resamples: CLAIM_RESAMPLES, seed: 1 });
    used.push(e.seeds);
    return e;
  };
  const seedsUsed = (): string => {
    const t = seedText(used);
    used = [];
    return t;
  };
  const has = (p: Selection): boolean => entriesOf(r.scores, p).length > 0;
  const snrs = r.trainSnrsDb.filter((t) => has({ method: 'vscc', trainSnrDb: t, split: 'validation' }));
  if (snrs.length === 0) throw new RangeError('claims need the VSCC models\' validation scores (the best CMC is chosen on them)');
  const best = bestCmc(r.scores, snrs, r.cmcs);
  const vscc = (t: number): Selection => ({ method: 'vscc', trainSnrDb: t, cmc: chosenCmc(best, t) });
  const w = (p: Selection, m: Metric) => windowBySeed(r.scores, p, m);
  const at = (p: Selection, s: number, m: Metric) => scoresAtBySeed(r.scores, p, s, m);
  const n = w(vscc(snrs[0]), 'psnr')[0].values.length;
  const nVal = w({ ...vscc(snrs[0]), split: 'validation' }, 'psnr')[0].values.length;
  const basis = `paired two-way percentile bootstrap over training seeds × ${n} test patches (${r.testPhotos} held-out photos), both models paired by seed and patch, B = ${CLAIM_RESAMPLES} (with one seed: the paired bootstrap over patches); a patch's score is its mean over ${r.resamplings} channel-noise resampling(s)`;
  const selection = `VSCC at the CMC with the best window SSIM on ${nVal} validation patches (${r.validationPhotos} other held-out photos; seed ${r.trainSeeds[0]}'s CMC grid)`;
  const windowed = () => `${basis} and over the window's test SNRs (t … t + 10 dB); ${selection}; ${seedsUsed()}`;
  const out: Claim[] = [];

  // AE best (Fig. 9): AE − VSCC and AE − VAE at every training SNR.
  for (const [m, fig] of [['psnr', '(a)–(c)'], ['ssim', '(d)–(f)']] as const) {
    const parts: ClaimPart[] = snrs.filter((t) => has({ method: 'ae', trainSnrDb: t }) && has({ method: 'vae', trainSnrDb: t })).flatMap((t) => {
      const ae = w({ method: 'ae', trainSnrDb: t }, m);
      return [
        differencePart({ label: `${t} dB: AE − VSCC (d = ${chosenCmc(best, t)})`, diff: diff(ae, w(vscc(t), m)), direction: 'greater' }),
        differencePart({ label: `${t} dB: AE − VAE`, diff: diff(ae, w({ method: 'vae', trainSnrDb: t }, m)), direction: 'greater' }),
      ];
    });
    if (parts.length) {
      out.push(paperClaim({
        id: `ae-best-${m}`, source: `§IV-C, Fig. 9${fig}`, unit: UNIT[m],
        statement: `The AE model gives the best ${NAME[m]} at every training SNR: above VSCC (at its optimal CMC) and above VAE`,
        parts, method: windowed(), n,
      }));
    }
  }

  // VSCC above VAE (Fig. 9, abstract), at the chosen CMC.
  const vaeSnrs = snrs.filter((t) => has({ method: 'vae', trainSnrDb: t }));
  if (vaeSnrs.length) {
    out.push(paperClaim({
      id: 'vscc-above-vae', source: '§IV-C, Fig. 9; abstract', unit: 'dB (PSNR) / SSIM',
      statement: 'VSCC (at its optimal CMC) outperforms VAE at every training SNR, in PSNR and in SSIM',
      parts: vaeSnrs.flatMap((t) => (['psnr', 'ssim'] as const).map((m) => differencePart({
        label: `${t} dB, ${NAME[m]}: VSCC (d = ${chosenCmc(best, t)}) − VAE`, diff: diff(w(vscc(t), m), w({ method: 'vae', trainSnrDb: t }, m)), direction: 'greater',
      }))),
      method: windowed(), n,
    }));
    // Without selecting a CMC at all: every CMC against VAE.
    out.push(paperClaim({
      id: 'vscc-above-vae-any-d', source: '§IV-C, Fig. 9 with every CMC of Fig. 8 (our robustness check)', unit: 'dB (PSNR) / SSIM',
      statement: 'VSCC outperforms VAE whatever the CMC (no choice of d), in PSNR and in SSIM, at every training SNR',
      parts: vaeSnrs.flatMap((t) => r.cmcs.flatMap((d) => (['psnr', 'ssim'] as const).map((m) => differencePart({
        label: `${t} dB, d = ${d}, ${NAME[m]}: VSCC − VAE`, diff: diff(w({ method: 'vscc', trainSnrDb: t, cmc: d }, m), w({ method: 'vae', trainSnrDb: t }, m)), direction: 'greater',
      })))),
      method: `${basis} and over the window's test SNRs; every CMC, no selection; ${seedsUsed()}`, n,
    }));
  }

  // Transmitted vs fixed variance (Fig. 7), at the chosen CMC.
  const trSnrs = snrs.filter((t) => has({ ...vscc(t), test: 'transmitted' }));
  const allSnrs = () => true;
  if (trSnrs.length) {
    out.push(paperClaim({
      id: 'tests-close', source: '§IV-A, Fig. 7', unit: 'dB (PSNR)',
      statement: `Both testing methods give similar results: the mean PSNR difference transmitted − fixed variance over all test SNRs is within ±${TESTS_CLOSE_MARGIN_DB} dB (our margin; the paper gives none)`,
      parts: trSnrs.map((t) => {
        const d = diff(windowBySeed(r.scores, { ...vscc(t), test: 'transmitted' }, 'psnr', allSnrs), windowBySeed(r.scores, { ...vscc(t), test: 'fixed' }, 'psnr', allSnrs));
        return differencePart({ label: `${t} dB: ${TESTS_CLOSE_MARGIN_DB} dB − |transmitted − fixed|`, diff: marginLessAbs(d, TESTS_CLOSE_MARGIN_DB), direction: 'greater' });
      }),
      method: `equivalence test: the paired interval of transmitted − fixed must lie inside ±${TESTS_CLOSE_MARGIN_DB} dB (the part's interval is margin − |x| over that interval); ${basis} and over all test SNRs; ${selection}; ${seedsUsed()}`, n,
    }));
    const top = Math.max(...trSnrs);
    const high = entriesOf(r.scores, { ...vscc(top), test: 'transmitted' }).map((s) => s.testSnrDb).filter((s) => s >= HIGH_TEST_SNR_DB);
    if (high.length) {
      out.push(paperClaim({
        id: 'transmitted-lower-high-snr', source: '§IV-A, Fig. 7(c)', unit: 'dB (PSNR)',
        statement: `For the model trained at ${top} dB, the transmitted-variance test gives a lower PSNR than the fixed-variance test at test SNRs of ${HIGH_TEST_SNR_DB} dB and above`,
        parts: high.map((s) => differencePart({
          label: `test ${s} dB: transmitted − fixed`,
          diff: diff(at({ ...vscc(top), test: 'transmitted' }, s, 'psnr'), at({ ...vscc(top), test: 'fixed' }, s, 'psnr')), direction: 'less',
        })),
        method: `${basis}; one part per test SNR ≥ ${HIGH_TEST_SNR_DB} dB; ${selection}; ${seedsUsed()}`, n,
      }));
    }
  }

  // The optimal CMC decreases with the training SNR (Fig. 8(d)–(f)): the paper's optima swap order between
  // consecutive training SNRs. No selection: the paper's own d values are the hypotheses.
  const paperD = (t: number) => PAPER_BEST_CMC.find((p) => p.trainSnrDb === t)?.ssim;
  const withD = snrs.filter((t) => { const d = paperD(t); return d !== undefined && r.cmcs.includes(d); });
  const cmcParts: ClaimPart[] = [];
  for (let i = 1; i < withD.length; i++) {
    const [t1, t2] = [withD[i - 1], withD[i]];
    const [hi, lo] = [paperD(t1) as number, paperD(t2) as number];
    if (hi <= lo) continue;
    const ssimOf = (t: number, d: number) => w({ method: 'vscc', trainSnrDb: t, cmc: d }, 'ssim');
    cmcParts.push(
      differencePart({ label: `${t1} dB: SSIM(d = ${hi}) − SSIM(d = ${lo})`, diff: diff(ssimOf(t1, hi), ssimOf(t1, lo)), direction: 'greater' }),
      differencePart({ label: `${t2} dB: SSIM(d = ${lo}) − SSIM(d = ${hi})`, diff: diff(ssimOf(t2, lo), ssimOf(t2, hi)), direction: 'greater' }),
    );
  }
  if (cmcParts.length) {
    out.push(paperClaim({
      id: 'cmc-decreasing', source: '§IV-B, Fig. 8(d)–(f)', unit: 'SSIM',
      statement: `The optimal CMC (by SSIM) decreases as the training SNR rises (paper: d = ${PAPER_BEST_CMC.map((p) => p.ssim).join(', ')} at ${PAPER_BEST_CMC.map((p) => p.trainSnrDb).join(', ')} dB): between consecutive training SNRs the larger of the paper's optima wins at the lower SNR and the smaller at the higher`,
      parts: cmcParts, method: `${basis} and over the window's test SNRs; the paper's d values compared directly (no selection); ${seedsUsed()}`, n,
    }));
  }

  // Channel specificity (§IV-A): tested at the lowest training SNR, the model trained there beats the others.
  const lo = Math.min(...snrs);
  const testedAtLo = entriesOf(r.scores, vscc(lo)).some((s) => s.testSnrDb === lo);
  const others = snrs.filter((t) => t !== lo && entriesOf(r.scores, vscc(t)).some((s) => s.testSnrDb === lo));
  if (testedAtLo && others.length) {
    const quoted = (t: number) => PAPER_FIG7_POINTS.find((p) => p.trainSnrDb === t && p.testSnrDb === lo);
    const pLo = quoted(lo);
    out.push(paperClaim({
      id: 'snr-specific', source: '§IV-A, Fig. 7', unit: 'dB (PSNR) / SSIM',
      statement: `Tested at ${lo} dB, the VSCC model trained at ${lo} dB beats those trained at higher SNRs (paper: PSNR ${PAPER_FIG7_POINTS.map((p) => p.psnr).join(' / ')} dB, SSIM ${PAPER_FIG7_POINTS.map((p) => p.ssim).join(' / ')} for training at ${PAPER_FIG7_POINTS.map((p) => p.trainSnrDb).join(' / ')} dB)`,
      parts: others.flatMap((t) => (['psnr', 'ssim'] as const).map((m) => {
        const q = quoted(t);
        const magnitude = pLo && q ? pLo[m] - q[m] : null;
        return differencePart({
          label: `${NAME[m]}: trained ${lo} dB − trained ${t} dB`, diff: diff(at(vscc(lo), lo, m), at(vscc(t), lo, m)),
          direction: 'greater', paper: magnitude === null ? null : Number(magnitude.toFixed(4)),
        });
      })),
      method: `${basis}; at test SNR ${lo} dB; the paper's differences as magnitudes; ${selection}; ${seedsUsed()}`, n,
    }));
  }
  return out;
}
