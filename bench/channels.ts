/**
 * Short throughput benchmark for lib/channels (a few seconds on one core):
 * modem + Rayleigh + demapper per bit, and the 802.11n n=648 LDPC decoder per frame.
 * Run: node dist/bench/channels.js
 */
import { pathToFileURL } from 'node:url';
import { Rng } from '../lib/core/index.js';
import {
  randomBits, modulate, rayleigh, demodulateHard, demodulateLlr, ieee80211nLdpc, awgn, ebNoToEsNo,
  type LdpcAlgorithm,
} from '../lib/channels/index.js';

export interface ChannelsBenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export function runChannelsBench(): ChannelsBenchRow[] {
  const rng = new Rng(1);
  const rows: ChannelsBenchRow[] = [];
  const nBits = 600_000;
  const bits = randomBits(nBits, { rng });
  const x = modulate(bits, 64);
  const ch = rayleigh(x, { snrDb: 15, rng });
  demodulateLlr(ch.y, 64, ch.noiseVar, { h: ch.h }); // JIT warm-up
  demodulateHard(ch.y, 64, { h: ch.h });
  rows.push({ name: '64-QAM modulate+Rayleigh',
    value: nBits / time(() => rayleigh(modulate(bits, 64), { snrDb: 15, rng })) / 1e3, unit: 'Mbit/s' });
  rows.push({ name: '64-QAM hard demap (CSI)', value: nBits / time(() => demodulateHard(ch.y, 64, { h: ch.h })) / 1e3, unit: 'Mbit/s' });
  rows.push({ name: '64-QAM exact LLR (CSI)', value: nBits / time(() => demodulateLlr(ch.y, 64, ch.noiseVar, { h: ch.h })) / 1e3, unit: 'Mbit/s' });
  const code = ieee80211nLdpc(648);
  const frames = 40;
  const u = randomBits(code.k, { rng });
  const c = modulate(code.encode(u), 2);
  rows.push({ name: 'LDPC-648 encode', value: (time(() => { for (let i = 0; i < 1000; i++) code.encode(u); }) * 1e3) / 1000, unit: 'µs/frame' });
  for (const [ebNo, algorithm] of [[2, 'sum-product'], [2, 'min-sum'], [0, 'sum-product']] as [number, LdpcAlgorithm][]) {
    const llrs = Array.from({ length: frames }, () => {
      const { y, noiseVar } = awgn(c, { snrDb: ebNoToEsNo(ebNo, 1, 0.5), rng });
      return demodulateLlr(y, 2, noiseVar);
    });
    for (const l of llrs.slice(0, 5)) code.decode(l, { algorithm }); // JIT warm-up
    let its = 0;
    const ms = time(() => { for (const l of llrs) its += code.decode(l, { algorithm }).iterations; });
    rows.push({ name: `LDPC-648 decode ${algorithm} @ Eb/N0 ${ebNo} dB (avg ${(its / frames).toFixed(1)} it)`, value: ms / frames, unit: 'ms/frame' });
    rows.push({ name: `LDPC-648 ${algorithm} per iteration`, value: (ms / its) * 1e3, unit: 'µs/it' });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of runChannelsBench()) console.log(`${r.name.padEnd(58)} ${r.value.toFixed(2).padStart(9)} ${r.unit}`);
}
