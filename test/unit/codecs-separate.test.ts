import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { randomBits } from '../../lib/channels/index.js';
import {
  type RgbImage, transmitSeparate, bytesToBits, bitsToBytes, simulateCodewordErrorRate, separateBaseline,
  receivedBatch, receivedImage, sourceBitBudget, channelUsesFor, capacityBitBudget,
} from '../../lib/codecs/index.js';

function picture(w: number, h: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  const data = Float32Array.from({ length: w * h * 3 }, (_, i) => {
    const x = Math.floor(i / 3) % w;
    const y = Math.floor(i / 3 / w);
    return Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(x / 5 + y / (3 + (i % 3))) + 0.05 * (rng.uniform() - 0.5)));
  });
  return { data, width: w, height: h };
}

test('bytes are sent MSB first and come back unchanged', () => {
  assert.deepEqual([...bytesToBits(Uint8Array.of(0xa5, 0x01))], [1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  const bytes = Uint8Array.from({ length: 50 }, (_, i) => (i * 37) & 255);
  assert.deepEqual([...bitsToBytes(bytesToBits(bytes))], [...bytes]);
});

test('separate link at 30 dB: every codeword decodes and the bits equal the sent ones', () => {
  const rng = new Rng(7);
  const bits = randomBits(2000, { rng });
  for (const n of [648, 1944] as const) {
    const r = transmitSeparate(bits, { snrDb: 30, rng, n });
    assert.ok(r.ok);
    assert.deepEqual([...r.bits], [...bits]);
    assert.equal(r.codewords, Math.ceil(2000 / (n / 2))); // rate 1/2: k = n/2, last codeword padded
    assert.equal(r.symbols, (r.codewords * n) / 6); // 64-QAM: 6 coded bits per complex symbol
    assert.equal(r.wrongCodewords, 0);
  }
  const plain = transmitSeparate(bits, { snrDb: 30, rng, scramble: false });
  assert.deepEqual([...plain.bits], [...bits]);
});

test('separate link at 0 dB: rate 3 bit/use is far above the fading capacity, every codeword is lost', () => {
  // ergodic Rayleigh capacity at 0 dB is below log2(1 + 1) = 1 bit per complex use < 3 bits (64-QAM, R = 1/2)
  const rng = new Rng(8);
  const r = transmitSeparate(randomBits(1500, { rng }), { snrDb: 0, rng });
  assert.equal(r.ok, false);
  assert.equal(r.wrongCodewords, r.codewords);
  assert.equal(r.codewords, 5);
  const cer = simulateCodewordErrorRate(0, { rng, targetErrors: 10 });
  assert.equal(cer.rate, 1);
  assert.equal(cer.trials, 10);
  const good = simulateCodewordErrorRate(30, { rng, maxCodewords: 100 });
  assert.equal(good.errors, 0);
  assert.ok(good.ci95[1] < 0.05);
});

test('bad link arguments throw RangeError naming the argument', () => {
  const rng = new Rng(1);
  assert.throws(() => transmitSeparate(Uint8Array.of(0, 2), { snrDb: 10, rng }), /payloadBits\[1\]/);
  assert.throws(() => transmitSeparate(Uint8Array.of(0, 1), { snrDb: NaN, rng }), /snrDb/);
  assert.throws(() => transmitSeparate(Uint8Array.of(0, 1), { snrDb: 10, rng, n: 500 as 648 }), /n must be one of/);
});

test('separateBaseline: all fitted images arrive at 30 dB, none at 0 dB; received images are decoded or fallback', async () => {
  const images = [picture(32, 32, 1), picture(32, 32, 2), picture(32, 32, 3)];
  const res = await separateBaseline(images, { codec: 'jpeg', budgetBits: 1200, snrsDb: [0, 30], rng: new Rng(3) });
  assert.equal(res.fitRate, 1);
  res.source.forEach((s, i) => assert.equal(res.codewords[i], Math.ceil(s.bits / 324)));
  assert.deepEqual([...res.perSnr[0].success], [0, 0, 0]);
  assert.deepEqual([...res.perSnr[1].success], [1, 1, 1]);
  assert.equal(res.perSnr[1].successRate, 1);
  const batch = receivedBatch(res, 1);
  assert.deepEqual([...batch.subarray(3072, 6144)], [...res.source[1].decoded.data]);
  assert.ok(receivedImage(res, 0, 2).data.every((v) => v === 0.5));
  // codeword-rate mode: P(arrive) = (1 − p̂)^c with p̂ = 1 at 0 dB and 0 at 30 dB
  const byRate = await separateBaseline(images, {
    codec: 'hevc', budgetBits: 1200, snrsDb: [0, 30], rng: new Rng(4), mode: 'codeword-rate', targetErrors: 5, maxCodewords: 60,
  });
  assert.equal(byRate.perSnr[0].codewordErrorRate?.rate, 1);
  assert.deepEqual([...(byRate.perSnr[0].successProbability ?? [])], [0, 0, 0]);
  assert.deepEqual([...(byRate.perSnr[1].successProbability ?? [])], [1, 1, 1]);
  await assert.rejects(separateBaseline(images, { codec: 'jpeg', budgetBits: -5, snrsDb: [10], rng: new Rng(1) }), /budgetBits/);
  await assert.rejects(separateBaseline(images, { codec: 'jpeg', budgetBits: 100, snrsDb: [], rng: new Rng(1) }), /snrsDb/);
});

test('a budget too small for any setting: nothing is sent, the fallback is shown at every SNR', async () => {
  const res = await separateBaseline([picture(32, 32, 9)], { codec: 'hevc', budgetBits: 16, snrsDb: [30], rng: new Rng(5) });
  assert.equal(res.fitRate, 0);
  assert.equal(res.codewords[0], 0);
  assert.equal(res.perSnr[0].success[0], 0);
});

test('bandwidth bookkeeping: 64-QAM rate 1/2 carries 3 bits per complex use', () => {
  assert.equal(sourceBitBudget(256), 768);
  assert.equal(sourceBitBudget(512, { uses: 'real' }), 768);
  assert.equal(sourceBitBudget(256, { M: 16, codeRate: 0.75 }), 768);
  // whole 648-bit codewords only: 1536 coded bits hold 2 codewords = 648 information bits
  assert.equal(sourceBitBudget(256, { codewordLength: 648 }), 648);
  // 700 bits need 3 codewords of 324 information bits = 1944 coded bits = 324 symbols
  assert.equal(channelUsesFor(700, { codewordLength: 648 }), 324);
  assert.equal(capacityBitBudget(100, 0), 100); // log2(1 + 1) = 1
  assert.ok(Math.abs(capacityBitBudget(100, 10 * Math.log10(3), 'real') - 100) < 1e-9); // 50 complex uses · log2(4)
  assert.throws(() => sourceBitBudget(-1), /channelUses/);
  assert.throws(() => sourceBitBudget(10, { codeRate: 0 }), /codeRate/);
});
