import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  type ModulationOrder, erfc, qfunc, qamBer, bpskBer, simulateBer, linkTrial, wilsonInterval, normalQuantile,
  modulate, awgn, demodulateHard, randomBits, countBitErrors,
} from '../../lib/channels/index.js';

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.abs(b);

test('erfc and Q match tabulated values', () => {
  // Abramowitz & Stegun / high-precision tables
  const table: [number, number][] = [
    [0.1, 0.8875370839817151], [0.5, 0.4795001221869535], [1, 0.15729920705028513], [2, 0.004677734981047266],
    [3, 2.209049699858544e-5], [4, 1.541725790028002e-8], [5, 1.5374597944280349e-12], [6, 2.1519736712498913e-17],
  ];
  for (const [x, v] of table) assert.ok(close(erfc(x), v, 1e-12), `erfc(${x}) = ${erfc(x)} vs ${v}`);
  assert.ok(close(erfc(-1), 2 - 0.15729920705028513, 1e-14));
  assert.ok(close(qfunc(1), 0.15865525393145707, 1e-13));
  assert.ok(close(qfunc(3), 0.0013498980316301, 1e-12));
});

test('normal quantile and Wilson interval', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
  assert.ok(Math.abs(normalQuantile(0.9995) - 3.2905267314918945) < 1e-10);
  assert.ok(Math.abs(normalQuantile(1e-6) + 4.753424308822899) < 1e-9);
  // Wilson 95 % for 10/100, from the closed form with z = 1.959964
  const [lo, hi] = wilsonInterval(10, 100, 0.95);
  assert.ok(Math.abs(lo - 0.05522914) < 1e-6 && Math.abs(hi - 0.17436566) < 1e-6, `${lo} ${hi}`);
});

test('qamBer reproduces the NOTES §D3 Rayleigh 64-QAM table (±0.001)', () => {
  const table: [number, number][] = [[0, 0.379], [5, 0.299], [10, 0.205], [15, 0.116], [20, 0.052], [25, 0.019], [30, 0.0065]];
  for (const [snr, eps] of table) {
    const v = qamBer(64, snr, 'rayleigh');
    assert.ok(Math.abs(v - eps) <= 0.001, `${snr} dB: ${v} vs ${eps}`);
  }
});

test('qamBer equals independent textbook closed forms', () => {
  for (const snr of [-3, 0, 4, 8, 12, 16, 20]) {
    const g = 10 ** (snr / 10);
    // BPSK/QPSK: Q(√(2γ)) and Q(√γ) (QPSK: Eb/N0 = γ/2)
    assert.ok(close(qamBer(2, snr, 'awgn'), qfunc(Math.sqrt(2 * g)), 1e-12));
    assert.ok(close(qamBer(4, snr, 'awgn'), qfunc(Math.sqrt(g)), 1e-12));
    // 16-QAM: ¼[3Q(s) + 2Q(3s) − Q(5s)], s = √(γ/5)
    const s16 = Math.sqrt(g / 5);
    assert.ok(close(qamBer(16, snr, 'awgn'), (3 * qfunc(s16) + 2 * qfunc(3 * s16) - qfunc(5 * s16)) / 4, 1e-12));
    // 64-QAM: (1/12)[7Q(s) + 6Q(3s) − Q(5s) + Q(9s) − Q(13s)], s = √(γ/21)
    const s = Math.sqrt(g / 21);
    const p64 = (7 * qfunc(s) + 6 * qfunc(3 * s) - qfunc(5 * s) + qfunc(9 * s) - qfunc(13 * s)) / 12;
    assert.ok(close(qamBer(64, snr, 'awgn'), p64, 1e-12));
    // Rayleigh BPSK ½(1 − √(γ/(1+γ))); QPSK per bit is BPSK at γ/2
    assert.ok(close(qamBer(2, snr, 'rayleigh'), 0.5 * (1 - Math.sqrt(g / (1 + g))), 1e-12));
    assert.ok(close(qamBer(4, snr, 'rayleigh'), bpskBer(snr - 10 * Math.log10(2), 'rayleigh'), 1e-12));
  }
});

/** Monte-Carlo BER within a 99.9 % interval of the closed form, and the interval excludes the formula at ±1 dB. */
function checkSim(M: ModulationOrder, snrDb: number, channel: 'awgn' | 'rayleigh', seed: number): void {
  const k = Math.log2(M);
  const est = simulateBer(linkTrial({ M, snrDb, channel }), {
    rng: new Rng(seed), targetErrors: 20_000, maxBits: 4e6, batchBits: 60_000, confidence: 0.999,
    // bits of one symbol share its noise/fading sample; a unit of k bits keeps the interval conservative
    bitsPerIndependentUnit: k,
  });
  const exact = qamBer(M, snrDb, channel);
  const [lo, hi] = est.ci;
  assert.ok(est.reachedTarget, `M=${M} ${channel} ${snrDb} dB: target not reached (${est.errors} errors)`);
  assert.ok(lo <= exact && exact <= hi, `M=${M} ${channel} ${snrDb} dB: exact ${exact} outside [${lo}, ${hi}] (sim ${est.ber})`);
  assert.ok(qamBer(M, snrDb + 1, channel) < lo && qamBer(M, snrDb - 1, channel) > hi, `M=${M} ${channel}: interval too wide to discriminate 1 dB`);
  assert.ok(lo <= est.ci95[0] && est.ci95[1] <= hi);
}

test('simulated BER of BPSK, 16-QAM, 64-QAM on AWGN matches the closed form', () => {
  checkSim(2, 4, 'awgn', 101);
  checkSim(16, 12, 'awgn', 102);
  checkSim(64, 16, 'awgn', 103);
});

test('simulated BER of BPSK, 16-QAM, 64-QAM on Rayleigh (CSI) matches the closed form', () => {
  checkSim(2, 8, 'rayleigh', 201);
  checkSim(16, 14, 'rayleigh', 202);
  checkSim(64, 15, 'rayleigh', 203);
});

test('measured signal power: scaled input at the same SNR gives the same BER', () => {
  const rng = new Rng(5);
  const bits = randomBits(200_000, { rng });
  const x = modulate(bits, 2);
  const scaled = { re: x.re.map((v) => 3 * v), im: x.im.slice() };
  const { y, noiseVar } = awgn(scaled, { snrDb: 4, rng, signalPower: 'measured' });
  assert.ok(Math.abs(noiseVar - 9 / 10 ** 0.4) < 1e-9);
  const errors = countBitErrors(demodulateHard(y, 2), bits);
  const [lo, hi] = wilsonInterval(errors, bits.length, 0.999);
  const exact = bpskBer(4, 'awgn');
  assert.ok(lo <= exact && exact <= hi, `${errors / bits.length} vs ${exact}`);
});

test('bad arguments throw RangeError naming the argument', () => {
  assert.throws(() => qamBer(8 as ModulationOrder, 3, 'awgn'), (e: Error) => e instanceof RangeError && /\bM\b/.test(e.message));
  assert.throws(() => qamBer(16, NaN, 'awgn'), (e: Error) => e instanceof RangeError && /snrDb/.test(e.message));
  assert.throws(() => qamBer(16, 3, 'rician' as 'awgn'), (e: Error) => e instanceof RangeError && /channel/.test(e.message));
  assert.throws(() => wilsonInterval(5, 3), (e: Error) => e instanceof RangeError && /successes/.test(e.message));
  assert.throws(() => simulateBer(() => ({ errors: 0, bits: 1 }), { rng: new Rng(1), targetErrors: 0 }), (e: Error) => e instanceof RangeError && /targetErrors/.test(e.message));
});
