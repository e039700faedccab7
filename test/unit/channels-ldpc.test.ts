import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  IEEE80211N_R12_BASE, QcLdpcCode, ieee80211nLdpc, randomBits, modulate, awgn, demodulateLlr, ebNoToEsNo, countBitErrors,
} from '../../lib/channels/index.js';

// Second transcription of the 802.11n rate-1/2, Z = 27 prototype (as printed in public MATLAB listings, −1 = zero block)
const LISTING_648 = `
0 -1 -1 -1 0 0 -1 -1 0 -1 -1 0 1 0 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1
22 0 -1 -1 17 -1 0 0 12 -1 -1 -1 -1 0 0 -1 -1 -1 -1 -1 -1 -1 -1 -1
6 -1 0 -1 10 -1 -1 -1 24 -1 0 -1 -1 -1 0 0 -1 -1 -1 -1 -1 -1 -1 -1
2 -1 -1 0 20 -1 -1 -1 25 0 -1 -1 -1 -1 -1 0 0 -1 -1 -1 -1 -1 -1 -1
23 -1 -1 -1 3 -1 -1 -1 0 -1 9 11 -1 -1 -1 -1 0 0 -1 -1 -1 -1 -1 -1
24 -1 23 1 17 -1 3 -1 10 -1 -1 -1 -1 -1 -1 -1 -1 0 0 -1 -1 -1 -1 -1
25 -1 -1 -1 8 -1 -1 -1 7 18 -1 -1 0 -1 -1 -1 -1 -1 0 0 -1 -1 -1 -1
13 24 -1 -1 0 -1 8 -1 6 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 0 -1 -1 -1
7 20 -1 16 22 10 -1 -1 23 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 0 -1 -1
11 -1 -1 -1 19 -1 -1 -1 13 -1 3 17 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 0 -1
25 -1 8 -1 23 18 -1 14 9 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 0
3 -1 -1 -1 16 -1 -1 2 25 5 -1 -1 1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 0`;

/** Dense H built directly from the definition (row r of block (i,j) has its 1 at column (r+s) mod Z). */
function denseH(base: readonly (readonly number[])[], z: number): Uint8Array[] {
  const H: Uint8Array[] = [];
  for (const row of base) {
    for (let r = 0; r < z; r++) {
      const h = new Uint8Array(row.length * z);
      row.forEach((s, j) => { if (s >= 0) h[j * z + ((r + s) % z)] = 1; });
      H.push(h);
    }
  }
  return H;
}

const syndromeWeight = (H: Uint8Array[], c: Uint8Array) => H.reduce((w, h) => w + (h.reduce((p, v, i) => p ^ (v & c[i]), 0)), 0);

test('802.11n n=648 base matrix matches the public listing; dimensions and rate', () => {
  const listing = LISTING_648.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  assert.deepEqual(IEEE80211N_R12_BASE[648].map((r) => [...r]), listing);
  for (const [n, z] of [[648, 27], [1296, 54], [1944, 81]] as const) {
    const code = ieee80211nLdpc(n);
    assert.equal(code.n, n);
    assert.equal(code.k, n / 2);
    assert.equal(code.z, z);
    assert.equal(code.rate, 0.5);
  }
});

test('every encoded codeword satisfies H·c = 0 (dense H from the definition); encoder is systematic and linear', () => {
  const rng = new Rng(31);
  for (const n of [648, 1296, 1944] as const) {
    const code = ieee80211nLdpc(n);
    const H = denseH(IEEE80211N_R12_BASE[n], code.z);
    for (let t = 0; t < 6; t++) {
      const u = randomBits(code.k, { rng });
      const c = code.encode(u);
      assert.equal(syndromeWeight(H, c), 0, `n=${n} trial ${t}`);
      assert.deepEqual(c.subarray(0, code.k), u);
      assert.ok(code.isCodeword(c));
      const v = randomBits(code.k, { rng });
      const sum = u.map((b, i) => b ^ v[i]);
      assert.deepEqual(code.encode(sum), code.encode(u).map((b, i) => b ^ code.encode(v)[i]));
      const bad = c.slice();
      bad[(t * 97) % n] ^= 1;
      assert.ok(syndromeWeight(H, bad) > 0 && !code.isCodeword(bad), 'a single flip is detected');
    }
  }
});

test('noise-free LLRs decode in one iteration; a few hard errors are corrected', () => {
  const code = ieee80211nLdpc(648);
  const rng = new Rng(32);
  const u = randomBits(code.k, { rng });
  const c = code.encode(u);
  const llr = Float64Array.from(c, (b) => (b ? -10 : 10));
  const r = code.decode(llr);
  assert.equal(r.iterations, 1);
  assert.ok(r.converged);
  assert.deepEqual(r.message, u);
  for (const i of [3, 100, 400, 640]) llr[i] = -llr[i] / 5; // 4 wrong-sign, weak LLRs
  for (const algorithm of ['sum-product', 'min-sum'] as const) {
    const d = code.decode(llr, { algorithm });
    assert.ok(d.converged, algorithm);
    assert.deepEqual(d.codeword, c, algorithm);
  }
});

function fer(ebNoDb: number, frames: number, seed: number, algorithm: 'sum-product' | 'min-sum'): { fer: number; unconverged: number; bitErrors: number } {
  const code = ieee80211nLdpc(648);
  const rng = new Rng(seed);
  const esNo = ebNoToEsNo(ebNoDb, 1, code.rate); // BPSK, rate 1/2: Es/N0 = Eb/N0 − 3 dB
  let fe = 0;
  let unconverged = 0;
  let bitErrors = 0;
  for (let f = 0; f < frames; f++) {
    const u = randomBits(code.k, { rng });
    const { y, noiseVar } = awgn(modulate(code.encode(u), 2), { snrDb: esNo, rng });
    const r = code.decode(demodulateLlr(y, 2, noiseVar), { algorithm, maxIterations: 50 });
    const e = countBitErrors(r.message, u);
    bitErrors += e;
    if (e > 0) fe++;
    if (!r.converged) unconverged++;
  }
  return { fer: fe / frames, unconverged, bitErrors };
}

test('FER on BPSK/AWGN: ~1 at 0 dB, waterfall near 1.5–2 dB, no frame errors at 4 dB', () => {
  // Published 802.11n n=648 R=1/2 BP curves: FER ≈ 1e-2 near Eb/N0 ≈ 2.2 dB; Shannon-BPSK limit for R=1/2 is 0.19 dB
  const low = fer(0, 20, 41, 'sum-product');
  assert.ok(low.fer >= 0.8, `FER(0 dB) = ${low.fer}`);
  assert.ok(low.unconverged >= 16, 'failures are reported through converged = false');
  const mid = fer(1.5, 60, 42, 'sum-product');
  assert.ok(mid.fer > 0.01 && mid.fer < 0.5, `FER(1.5 dB) = ${mid.fer}`);
  const high = fer(4, 60, 43, 'sum-product');
  assert.equal(high.fer, 0, `FER(4 dB) = ${high.fer}`);
  // coding gain: at 3 dB the coded BER is far below uncoded BPSK (Q(√(2·10^0.3)) ≈ 2.3e-2)
  const ms = fer(3, 40, 44, 'min-sum');
  assert.ok(ms.bitErrors / (40 * 324) < 1e-3, `min-sum coded BER at 3 dB ${ms.bitErrors / (40 * 324)}`);
  const msLow = fer(0, 20, 45, 'min-sum');
  assert.ok(msLow.fer >= 0.8);
});

test('bad arguments throw RangeError naming the argument', () => {
  const code = ieee80211nLdpc(648);
  assert.throws(() => code.encode(new Uint8Array(323)), (e: Error) => e instanceof RangeError && /message/.test(e.message));
  assert.throws(() => code.decode(new Float64Array(647)), (e: Error) => e instanceof RangeError && /channelLlr/.test(e.message));
  assert.throws(() => code.decode(new Float64Array(648).fill(NaN)), (e: Error) => e instanceof RangeError && /channelLlr/.test(e.message));
  assert.throws(() => code.decode(new Float64Array(648), { maxIterations: 0 }), (e: Error) => e instanceof RangeError && /maxIterations/.test(e.message));
  assert.throws(() => ieee80211nLdpc(100 as 648), (e: Error) => e instanceof RangeError && /\bn\b/.test(e.message));
  assert.throws(() => new QcLdpcCode([[0, 30]], 27), (e: Error) => e instanceof RangeError && /base\[0\]\[1\]/.test(e.message));
  assert.throws(() => new QcLdpcCode([[0, 1, 2], [0, 1, 2]], 27).encode(new Uint8Array(27)), (e: Error) => e instanceof RangeError && /dual-diagonal/.test(e.message));
});
