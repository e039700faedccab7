import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  type ModulationOrder, transmitIndices, transmitBits, ieee80211nLdpc, qamBer, wilsonInterval, randomBits,
  rayleighCoefficients, awgn, noiseVariance, ebNoToEsNo,
} from '../../lib/channels/index.js';

const randomIndices = (n: number, m: number, rng: Rng) => Array.from({ length: n }, () => rng.int(2 ** m));

test('index link at very high SNR returns the indices unchanged (uncoded and LDPC-coded)', () => {
  const rng = new Rng(51);
  const idx = randomIndices(500, 10, rng);
  const a = transmitIndices(idx, { M: 64, snrDb: 45, channel: 'awgn', mBits: 10, rng });
  assert.deepEqual([...a.indices], idx);
  assert.equal(a.ber, 0);
  const b = transmitIndices(idx, { M: 64, snrDb: 40, channel: 'rayleigh', ldpc: ieee80211nLdpc(648), mBits: 10, rng });
  assert.deepEqual([...b.indices], idx);
  assert.equal(b.codewords, Math.ceil(5000 / 324));
  assert.equal(b.failedCodewords, 0);
});

test('uncoded 64-QAM/Rayleigh index link: measured BER matches qamBer (NOTES §D3: ε(10 dB) ≈ .205)', () => {
  const rng = new Rng(52);
  const m = 6;
  const idx = randomIndices(20_000, m, rng);
  const r = transmitIndices(idx, { M: 64, snrDb: 10, channel: 'rayleigh', mBits: m, rng });
  // one 6-bit index = one 64-QAM symbol: independent units of 6 bits (conservative interval)
  const [lo, hi] = wilsonInterval(r.bitErrors / 6, idx.length, 0.999);
  const eps = qamBer(64, 10, 'rayleigh');
  assert.ok(lo <= eps && eps <= hi, `ber ${r.ber} vs ${eps}`);
  assert.equal(r.rawBer, r.ber);
  assert.equal(r.symbols, idx.length);
  // an index is wrong iff at least one of its bits is: BER ≤ index error rate ≤ m·BER
  assert.ok(r.indexErrorRate >= r.ber && r.indexErrorRate <= m * r.ber);
});

test('LDPC-coded link: raw BER is the uncoded BER, decoding removes the errors above threshold', () => {
  const rng = new Rng(53);
  const code = ieee80211nLdpc(648);
  const bits = randomBits(40 * code.k, { rng });
  const r = transmitBits(bits, { M: 64, snrDb: 20, channel: 'rayleigh', ldpc: code, rng });
  const coded = 40 * code.n;
  const [lo, hi] = wilsonInterval((r.rawBer * coded) / 6, coded / 6, 0.999);
  const eps = qamBer(64, 20, 'rayleigh');
  assert.ok(lo <= eps && eps <= hi, `raw ${r.rawBer} vs ${eps}`);
  assert.equal(r.codewords, 40);
  assert.equal(r.ber, 0, `decoded BER ${r.ber} at 20 dB (raw ${r.rawBer})`);
  // far below threshold the decoder cannot help: many failed codewords
  const bad = transmitBits(bits.subarray(0, 10 * code.k),
    { M: 64, snrDb: 8, channel: 'rayleigh', ldpc: code, ldpcOptions: { algorithm: 'min-sum' }, rng });
  assert.ok(bad.failedCodewords >= 8 && bad.ber > 0.05, `failed ${bad.failedCodewords}, ber ${bad.ber}`);
});

test('without CSI, Rayleigh phase makes BPSK/QPSK decisions coin flips (BER ½ by symmetry)', () => {
  for (const M of [2, 4] as ModulationOrder[]) {
    const rng = new Rng(54 + M);
    const bits = randomBits(100_000, { rng });
    const r = transmitBits(bits, { M, snrDb: 30, channel: 'rayleigh', csi: false, rng });
    const [lo, hi] = wilsonInterval(r.bitErrors, bits.length, 0.999);
    assert.ok(lo <= 0.5 && 0.5 <= hi, `M=${M}: ${r.ber}`);
    const withCsi = transmitBits(bits, { M, snrDb: 30, channel: 'rayleigh', rng });
    assert.ok(withCsi.ber < 0.01);
  }
});

test('Rayleigh coefficients: CN(0,1), constant within coherence blocks, independent across', () => {
  const rng = new Rng(55);
  const B = 10;
  const blocks = 20_000;
  const h = rayleighCoefficients(B * blocks, { rng, blockLength: B });
  let p = 0, mr = 0, mi = 0, rel = 0, lag = 0;
  for (let b = 0; b < blocks; b++) {
    for (let i = 1; i < B; i++) {
      assert.equal(h.re[b * B + i], h.re[b * B]);
      assert.equal(h.im[b * B + i], h.im[b * B]);
    }
    const r = h.re[b * B], im = h.im[b * B];
    p += r * r + im * im; mr += r; mi += im; rel += r * r - im * im;
    if (b > 0) lag += r * h.re[(b - 1) * B] + im * h.im[(b - 1) * B];
  }
  const tol = 3.3 / Math.sqrt(blocks); // 99.9 % for means of unit-variance quantities
  assert.ok(Math.abs(p / blocks - 1) < tol, `E|h|² = ${p / blocks}`); // |h|² ~ Exp(1): variance 1
  assert.ok(Math.abs(mr / blocks) < tol && Math.abs(mi / blocks) < tol, 'zero mean');
  assert.ok(Math.abs(rel / blocks) < 2 * tol, 'circular: E[Re² − Im²] = 0');
  assert.ok(Math.abs(lag / blocks) < tol, 'uncorrelated across blocks');
  const one = rayleighCoefficients(50, { rng, blockLength: Infinity });
  assert.ok(one.re.every((v) => v === one.re[0]));
  const fast = rayleighCoefficients(50, { rng });
  assert.equal(new Set(fast.re).size, 50);
});

test('SNR convention: complex noise variance N0 = Es/10^(snr/10), N0/2 per real dimension', () => {
  const rng = new Rng(56);
  const n = 100_000;
  const zero = { re: new Float64Array(n), im: new Float64Array(n) };
  const { y, noiseVar } = awgn(zero, { snrDb: 3, rng });
  assert.ok(Math.abs(noiseVar - 10 ** -0.3) < 1e-15);
  let pr = 0, pi = 0;
  for (let i = 0; i < n; i++) { pr += y.re[i] ** 2; pi += y.im[i] ** 2; }
  const tol = (3.3 * Math.SQRT2) / Math.sqrt(n); // χ²₁ mean: relative sd √2/√n
  assert.ok(Math.abs(pr / n / (noiseVar / 2) - 1) < tol && Math.abs(pi / n / (noiseVar / 2) - 1) < tol);
  assert.ok(Math.abs(noiseVariance(10, 2) - 0.2) < 1e-15);
  assert.ok(Math.abs(ebNoToEsNo(4, 6, 0.5) - (4 + 10 * Math.log10(3))) < 1e-12);
});

test('bad arguments throw RangeError naming the argument', () => {
  const rng = new Rng(1);
  const bits = new Uint8Array(12);
  assert.throws(() => transmitBits(bits, { snrDb: NaN, rng }),
    (e: Error) => e instanceof RangeError && /snrDb/.test(e.message));
  assert.throws(() => transmitBits(bits, { snrDb: 3, M: 8 as ModulationOrder, rng }),
    (e: Error) => e instanceof RangeError && /\bM\b/.test(e.message));
  assert.throws(() => transmitBits(bits, { snrDb: 3, blockLength: 0, rng }),
    (e: Error) => e instanceof RangeError && /blockLength/.test(e.message));
  assert.throws(() => transmitIndices([64], { snrDb: 3, mBits: 6, rng }),
    (e: Error) => e instanceof RangeError && /indices\[0\]/.test(e.message));
  assert.throws(() => rayleighCoefficients(10, { rng, blockLength: 2.5 }),
    (e: Error) => e instanceof RangeError && /blockLength/.test(e.message));
});
