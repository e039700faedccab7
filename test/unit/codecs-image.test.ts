import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { psnr } from '../../lib/metrics/index.js';
import {
  type RgbImage, encodeJpeg, decodeJpeg, decodeJpegPayload, encodeHevcIntra, decodeHevc, decodeHevcPayload,
  atBudget, fromPlanarYuv, toPlanarYuv,
} from '../../lib/codecs/index.js';

/** A photo-like test picture: smooth colour waves, a vertical colour edge and mild noise. */
function picture(w: number, h: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const edge = x > 0.6 * w ? 0.25 : 0;
      for (let c = 0; c < 3; c++) {
        const v = 0.35 + 0.25 * Math.sin(x / (4 + c) + y / 7) + edge * (c - 1) + 0.04 * (rng.uniform() - 0.5);
        data[(y * w + x) * 3 + c] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return { data, width: w, height: h };
}

const same = (a: RgbImage, b: RgbImage): boolean => a.width === b.width && a.height === b.height && a.data.every((v, i) => v === b.data[i]);

/** Entropy-coded segment found independently: after the SOS segment (FF DA + its length) up to the final FF D9. */
function scanData(file: Uint8Array): Uint8Array {
  let p = 2;
  while (!(file[p] === 0xff && file[p + 1] === 0xda)) p += 2 + ((file[p + 2] << 8) | file[p + 3]);
  return file.subarray(p + 2 + ((file[p + 2] << 8) | file[p + 3]), file.length - 2);
}

test('JPEG: PSNR rises with quality, size is kept, payload is the scan data and decodes with the fixed header', async () => {
  for (const size of [32, 64]) {
    const img = picture(size, size, size);
    let last = -Infinity;
    for (const quality of [10, 30, 50, 70, 90]) {
      const enc = await encodeJpeg(img, { quality });
      const full = await decodeJpeg(enc.bytes); // the tool's own decode of the whole file = truth
      assert.equal(full.width, size);
      assert.equal(full.height, size);
      const q = psnr(img.data, full.data);
      assert.ok(q > last, `${size}px quality ${quality}: PSNR ${q} should exceed ${last}`);
      last = q;
      assert.deepEqual([...enc.payload], [...scanData(enc.bytes)]);
      assert.ok(enc.payloadBits < enc.totalBits && enc.totalBits - enc.payloadBits > 8 * 300, 'tables and headers stay out of the payload');
      assert.ok(same(await decodeJpegPayload(enc.payload, { width: size, height: size, quality }), full));
    }
    assert.ok(last > 30, `quality 90 PSNR ${last}`);
  }
  // the header matters: the same payload read with another quality's tables gives other pixels
  const img = picture(32, 32, 5);
  const enc = await encodeJpeg(img, { quality: 50 });
  assert.ok(!same(await decodeJpegPayload(enc.payload, { width: 32, height: 32, quality: 60 }), await decodeJpeg(enc.bytes)));
});

test('JPEG 4:4:4 at quality 100 is nearly lossless (colour path and channel order right)', async () => {
  const img = picture(32, 32, 7);
  const enc = await encodeJpeg(img, { quality: 100, chroma: '444' });
  assert.ok(psnr(img.data, (await decodeJpeg(enc.bytes)).data) > 45);
});

test('HEVC intra: PSNR falls with QP at 32 and 64 px, payload = slice NAL, decodes with the fixed parameter sets', async () => {
  for (const size of [32, 64]) {
    const img = picture(size, size, 10 + size);
    let last = Infinity;
    for (const qp of [12, 22, 32, 42, 51]) {
      const enc = await encodeHevcIntra(img, { qp });
      const full = await decodeHevc(enc.bytes);
      assert.equal(full.width, size);
      assert.equal(full.height, size);
      const q = psnr(img.data, full.data);
      assert.ok(q < last, `${size}px QP ${qp}: PSNR ${q} should be below ${last}`);
      last = q;
      // Annex B: the file ends with the slice NAL unit, right after a 00 00 01 start code (its type < 32)
      const tail = enc.bytes.subarray(enc.bytes.length - enc.payload.length);
      assert.deepEqual([...tail], [...enc.payload]);
      assert.deepEqual([...enc.bytes.subarray(enc.bytes.length - enc.payload.length - 3, enc.bytes.length - enc.payload.length)], [0, 0, 1]);
      assert.ok(((enc.payload[0] >> 1) & 0x3f) < 32);
      assert.ok(enc.payloadBits < enc.totalBits);
      assert.ok(same(await decodeHevcPayload(enc.payload, { width: size, height: size, qp }), full));
    }
  }
});

test('HEVC colour path: 4:4:4 at QP 0 is near-lossless; 4:2:0 at QP 0 loses only what the chroma subsampling loses', async () => {
  const img = picture(32, 32, 3);
  const e444 = await encodeHevcIntra(img, { qp: 0, chroma: '444' });
  assert.ok(psnr(img.data, (await decodeHevc(e444.bytes)).data) > 45);
  const e420 = await encodeHevcIntra(img, { qp: 0 });
  const conversionOnly = psnr(img.data, fromPlanarYuv(toPlanarYuv(img, '420'), 32, 32, '420').data);
  assert.ok(Math.abs(psnr(img.data, (await decodeHevc(e420.bytes)).data) - conversionOnly) < 1);
});

test('atBudget returns the best setting that fits: the next better one does not', async () => {
  const img = picture(32, 32, 21);
  for (const budget of [700, 1500]) {
    const j = await atBudget('jpeg', img, budget);
    assert.ok(j.fits);
    if (!j.fits) return;
    assert.ok(j.bits <= budget && j.bits === 8 * j.bytes.length);
    assert.ok((await encodeJpeg(img, { quality: j.setting + 1 })).payloadBits > budget, `jpeg quality ${j.setting + 1} must not fit ${budget}`);
    assert.ok(same(j.decoded, await decodeJpeg((await encodeJpeg(img, { quality: j.setting })).bytes)));
    const h = await atBudget('hevc', img, budget);
    assert.ok(h.fits);
    if (!h.fits) return;
    assert.ok(h.bits <= budget);
    assert.ok((await encodeHevcIntra(img, { qp: h.setting - 1 })).payloadBits > budget, `hevc QP ${h.setting - 1} must not fit ${budget}`);
  }
  // whole-file accounting: the JPEG tables alone exceed a small budget
  const total = await atBudget('jpeg', img, 1500, { measure: 'total' });
  assert.equal(total.fits, false);
  const top = await encodeJpeg(img, { quality: 100 });
  const all = await atBudget('jpeg', img, top.payloadBits);
  assert.equal(all.setting, 100);
});

test('atBudget: nothing fits → fits: false with the flat fallback image and 0 bits', async () => {
  const img = picture(32, 32, 22);
  const r = await atBudget('hevc', img, 40, { fallbackColour: [0.2, 0.4, 0.6] });
  assert.equal(r.fits, false);
  assert.equal(r.bits, 0);
  assert.equal(r.setting, null);
  const qp51 = await encodeHevcIntra(img, { qp: 51 });
  if (!r.fits) assert.equal(r.minimumBits, qp51.payloadBits);
  for (let p = 0; p < 32 * 32; p++) assert.deepEqual([...r.decoded.data.subarray(3 * p, 3 * p + 3)].map((v) => +v.toFixed(6)), [0.2, 0.4, 0.6]);
});

test('bad arguments throw RangeError naming the argument', async () => {
  const img = picture(32, 32, 1);
  for (const quality of [0, 101, 50.5]) await assert.rejects(encodeJpeg(img, { quality }), (e: Error) => e instanceof RangeError && /quality/.test(e.message));
  for (const qp of [-1, 52, 3.5]) await assert.rejects(encodeHevcIntra(img, { qp }), (e: Error) => e instanceof RangeError && /qp/.test(e.message));
  await assert.rejects(encodeHevcIntra(picture(33, 32, 1), { qp: 30 }), (e: Error) => e instanceof RangeError && /even/.test(e.message));
  await assert.rejects(encodeHevcIntra(picture(8, 8, 1), { qp: 30 }), (e: Error) => e instanceof RangeError && /width/.test(e.message));
  await assert.rejects(atBudget('jpeg', img, -1), (e: Error) => e instanceof RangeError && /budgetBits/.test(e.message));
  await assert.rejects(atBudget('png' as 'jpeg', img, 100), (e: Error) => e instanceof RangeError && /codec/.test(e.message));
  await assert.rejects(encodeJpeg({ data: new Float32Array(5), width: 2, height: 2 }, { quality: 50 }), /img\.data must hold/);
});

test('a missing program names the Debian package to install', async () => {
  const img = picture(32, 32, 1);
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent-semcom';
  try {
    await assert.rejects(encodeJpeg(img, { quality: 50 }), /libjpeg-turbo-progs/);
    await assert.rejects(encodeHevcIntra(img, { qp: 30 }), /Debian package x265/);
    await assert.rejects(decodeHevc(new Uint8Array(16)), /libde265-examples/);
  } finally {
    process.env.PATH = path;
  }
});
