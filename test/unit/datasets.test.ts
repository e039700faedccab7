/**
 * The papers' datasets from disk (lib/data/datasets): decoding against closed forms (flat colours, a linear ramp's
 * resize, centre-crop geometry, EXIF orientation, greyscale and alpha), every layout variant on stand-ins built by
 * test/helpers/datasets.ts, the seeded selection, the cache (hits, interrupted entries, changed files), and each error
 * path (the message names the expected layout and what was found).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { projectRoot } from '../../lib/core/index.js';
import { datasetStatus, loadImageDataset, type DatasetName, type DatasetSplit, type ImageSet } from '../../lib/data/index.js';
import { coverGeometry, decodeSquare } from '../../lib/data/datasets/decode.js';
import { buildStandIn, flatJpeg, type StandIn, type StandInOptions } from '../helpers/datasets.js';

const scratch = mkdtempSync(join(tmpdir(), 'datasets-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const fresh = (): string => {
  const d = join(scratch, `d${folders++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** Raw 8-bit pixels → PNG (lossless, for exact checks). */
const png = (rgb: Uint8Array, width: number, height: number, channels: 1 | 3 | 4 = 3): Promise<Buffer> =>
  sharp(Buffer.from(rgb), { raw: { width, height, channels } }).png().toBuffer();
const px = (img: Uint8Array, size: number, x: number, y: number): number[] => [...img.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];
const near = (got: readonly number[], want: readonly number[], tol: number, what: string): void => {
  assert.ok(got.every((v, i) => Math.abs(v - want[i]) <= tol), `${what}: got ${got}, want ${want} ± ${tol}`);
};

test('coverGeometry: shorter side to size, centre crop at ⌊(W − size)/2⌋', () => {
  assert.deepEqual(coverGeometry(60, 30, 30), { width: 60, height: 30, left: 15, top: 0 });
  assert.deepEqual(coverGeometry(61, 30, 30), { width: 61, height: 30, left: 15, top: 0 });
  assert.deepEqual(coverGeometry(30, 90, 10), { width: 10, height: 30, left: 0, top: 10 });
  assert.deepEqual(coverGeometry(100, 75, 32), { width: 43, height: 32, left: 5, top: 0 }); // 100·32/75 = 42.67
  assert.deepEqual(coverGeometry(84, 84, 256), { width: 256, height: 256, left: 0, top: 0 });
  assert.throws(() => coverGeometry(0, 10, 4), /width must be an integer/);
});

test('decode: a flat-colour JPEG decodes to its colour within JPEG error, any aspect', async () => {
  for (const [w, h] of [[40, 30], [30, 40], [17, 17], [300, 7]]) {
    const img = await decodeSquare(await flatJpeg([200, 60, 120], w, h), 12, 'flat');
    assert.equal(img.length, 12 * 12 * 3);
    for (let i = 0; i < 144; i++) near(px(img, 12, i % 12, Math.floor(i / 12)), [200, 60, 120], 3, `${w}×${h} pixel ${i}`);
  }
});

test('decode: centre crop of vertical stripes is pixel-exact (no resize when the short side equals size)', async () => {
  const w = 60, h = 30; // stripes: red x<20, green 20..39, blue ≥40; crop keeps x = 15..44
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(x < 20 ? [255, 0, 0] : x < 40 ? [0, 255, 0] : [0, 0, 255], (y * w + x) * 3);
  const img = await decodeSquare(await png(rgb, w, h), 30, 'stripes');
  for (let c = 0; c < 30; c++) {
    const want = c + 15 < 20 ? [255, 0, 0] : c + 15 < 40 ? [0, 255, 0] : [0, 0, 255];
    for (const y of [0, 13, 29]) assert.deepEqual(px(img, 30, c, y), want, `column ${c}, row ${y}`);
  }
});

test('decode: a linear ramp stays linear through the resize (closed form at pixel centres)', async () => {
  // Downscale ×2: 200×100 ramp r = x → 100×50, crop left 25. Output column j samples input x = 2(j + 25) + 0.5; a
  // symmetric normalised kernel reproduces a linear function exactly, so r = 2j + 50.5 (±1 for 8-bit rounding).
  const ramp = (w: number, h: number, f: (x: number) => number): Uint8Array => {
    const a = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a.set([f(x), 128, 255 - f(x)], (y * w + x) * 3);
    return a;
  };
  const down = await decodeSquare(await png(ramp(200, 100, (x) => x), 200, 100), 50, 'ramp');
  for (let j = 3; j < 47; j++) near(px(down, 50, j, 25), [2 * j + 50.5, 128, 255 - (2 * j + 50.5)], 1, `down column ${j}`);
  // Upscale ×4: 20×10 ramp r = 10x → 80×40, crop left 20: column j samples x = (j + 20 + 0.5)/4 − 0.5.
  const up = await decodeSquare(await png(ramp(20, 10, (x) => 10 * x), 20, 10), 40, 'ramp-up');
  for (let j = 0; j < 40; j++) {
    const v = 10 * ((j + 20.5) / 4 - 0.5);
    near(px(up, 40, j, 20), [v, 128, 255 - v], 2, `up column ${j}`);
  }
});

test('decode: EXIF orientation is applied (6 = rotate 90° clockwise, 3 = 180°)', async () => {
  // Stored 40×20: left half red, right half blue.
  const w = 40, h = 20;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(x < 20 ? [255, 0, 0] : [0, 0, 255], (y * w + x) * 3);
  const stored = await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } });
  const o6 = await stored.clone().jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).withMetadata({ orientation: 6 }).toBuffer();
  assert.equal((await sharp(o6).metadata()).orientation, 6);
  // Displayed 20 wide × 40 tall, the stored left edge on top: red above blue. Size 20 keeps rows 10..29 → red rows 0..9.
  const a = await decodeSquare(o6, 20, 'o6');
  for (let x = 0; x < 20; x++) {
    for (const y of [0, 7]) near(px(a, 20, x, y), [255, 0, 0], 6, `o6 (${x},${y})`);
    for (const y of [12, 19]) near(px(a, 20, x, y), [0, 0, 255], 6, `o6 (${x},${y})`);
  }
  // 180°: blue on the left. Size 20 keeps columns 10..29 → blue columns 0..9.
  const o3 = await stored.clone().jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).withMetadata({ orientation: 3 }).toBuffer();
  const b = await decodeSquare(o3, 20, 'o3');
  for (let y = 0; y < 20; y++) {
    near(px(b, 20, 2, y), [0, 0, 255], 6, `o3 (2,${y})`);
    near(px(b, 20, 17, y), [255, 0, 0], 6, `o3 (17,${y})`);
  }
});

test('decode: greyscale expands to three equal channels; alpha is dropped, not composited', async () => {
  const grey = await sharp(Buffer.alloc(16 * 12, 100), { raw: { width: 16, height: 12, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const g = await decodeSquare(grey, 8, 'grey');
  for (let i = 0; i < 64; i++) near(px(g, 8, i % 8, i >> 3), [100, 100, 100], 2, `grey ${i}`);
  const rgba = new Uint8Array(10 * 10 * 4);
  for (let i = 0; i < 100; i++) rgba.set([200, 10, 30, 64], 4 * i);
  const a = await decodeSquare(await png(rgba, 10, 10, 4), 10, 'rgba');
  for (let i = 0; i < 100; i++) assert.deepEqual(px(a, 10, i % 10, Math.floor(i / 10)), [200, 10, 30]);
  await assert.rejects(decodeSquare(Buffer.from('not an image'), 8, '/x/broken.jpg'), /decoding \/x\/broken\.jpg failed/);
});

/** Every image of `set` is the flat colour of the stand-in file it names; labels name that file's class. */
function checkAgainst(set: ImageSet, standIn: StandIn, split: DatasetSplit): void {
  const want = standIn.splits[split] ?? [];
  assert.equal(set.n, want.length);
  assert.equal(set.x.length, set.n * set.size * set.size * 3);
  const byFile = new Map(want.map((im) => [join(standIn.root, im.file), im]));
  assert.deepEqual([...set.files].sort(), [...byFile.keys()].sort(), 'the split\'s files, each once');
  const per = set.size * set.size * 3;
  set.files.forEach((f, i) => {
    const im = byFile.get(f);
    assert.ok(im, f);
    for (let p = 0; p < set.size * set.size; p += 7) {
      const o = i * per + 3 * p;
      near([...set.x.subarray(o, o + 3)].map((v) => v * 255), im.rgb, 3.5, `${f} pixel ${p}`);
    }
    if (im.label !== undefined) assert.equal(set.classes?.[set.labels?.[i] ?? -1], im.label, `label of ${f}`);
  });
  if (want.some((im) => im.label !== undefined)) {
    assert.deepEqual(set.classes, [...new Set(want.map((im) => im.label ?? ''))].sort());
  } else {
    assert.equal(set.labels, undefined);
  }
}

const variants: readonly { dataset: DatasetName; opts: StandInOptions; splits: readonly DatasetSplit[] }[] = [
  { dataset: 'mini-imagenet', opts: { variant: 'class-folders' }, splits: ['train', 'validation', 'test'] },
  { dataset: 'mini-imagenet', opts: { variant: 'csv' }, splits: ['train', 'validation', 'test'] },
  { dataset: 'mini-imagenet', opts: { variant: 'class-folders', atDataDir: true }, splits: ['validation'] },
  { dataset: 'voc2012', opts: { variant: 'VOCdevkit' }, splits: ['train', 'validation'] },
  { dataset: 'voc2012', opts: { variant: 'VOC2012' }, splits: ['train'] },
  { dataset: 'voc2012', opts: { variant: 'bare', imageSets: 'Segmentation' }, splits: ['validation'] },
  { dataset: 'flickr8k', opts: {}, splits: ['train', 'validation', 'test'] },
  { dataset: 'flickr8k', opts: { textDir: 'Flickr8k_text', atDataDir: true }, splits: ['test'] },
];

for (const v of variants) {
  test(`${v.dataset} ${JSON.stringify(v.opts)}: every split decodes to the stand-in's files, colours and labels`, async () => {
    const dir = fresh();
    const s = await buildStandIn(v.dataset, join(dir, 'data'), { perSplit: 4, ...v.opts });
    for (const split of v.splits) {
      const set = await loadImageDataset({ dataset: v.dataset, dataDir: s.dataDir, split, size: 12, cacheDir: join(dir, 'cache') });
      checkAgainst(set, s, split);
    }
    const status = datasetStatus(v.dataset, s.dataDir);
    assert.equal(status.ok, true, status.detail);
    assert.equal(status.required, false);
    assert.match(status.detail, new RegExp(`train 4, validation 4${v.dataset === 'voc2012' ? '$' : ', test 4$'}`));
  });
}

test('SEMCOM_DATA_DIR is the default data folder; neither set is a clear error', async () => {
  const dir = fresh();
  const s = await buildStandIn('flickr8k', join(dir, 'data'), { perSplit: 2 });
  const saved = process.env.SEMCOM_DATA_DIR;
  try {
    process.env.SEMCOM_DATA_DIR = s.dataDir;
    const set = await loadImageDataset({ dataset: 'flickr8k', split: 'train', size: 8, cacheDir: join(dir, 'cache') });
    checkAgainst(set, s, 'train');
    delete process.env.SEMCOM_DATA_DIR;
    await assert.rejects(loadImageDataset({ dataset: 'flickr8k', split: 'train', size: 8 }),
      /Flickr8k: no data folder given.*dataDir.*SEMCOM_DATA_DIR.*--data-dir.*Flicker8k_Dataset/);
    const st = datasetStatus('voc2012');
    assert.equal(st.ok, false);
    assert.equal(st.required, false);
    assert.match(st.detail, /SEMCOM_DATA_DIR is not set/);
    assert.ok(st.fix.length > 0);
  } finally {
    if (saved === undefined) delete process.env.SEMCOM_DATA_DIR; else process.env.SEMCOM_DATA_DIR = saved;
  }
});

test('selection: count takes a prefix of the seeded order; the seed changes the order; same seed, same bytes', async () => {
  const dir = fresh();
  const s = await buildStandIn('mini-imagenet', join(dir, 'data'), { perSplit: 8, classes: 4 });
  const load = (o: { count?: number; seed?: number; cache: string }) => loadImageDataset({
    dataset: 'mini-imagenet', dataDir: s.dataDir, split: 'train', size: 10, cacheDir: join(dir, o.cache),
    ...(o.count !== undefined ? { count: o.count } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
  const all = await load({ cache: 'a' });
  const three = await load({ count: 3, cache: 'a' });
  assert.deepEqual(three.files, all.files.slice(0, 3));
  assert.deepEqual(three.x, all.x.subarray(0, 3 * 10 * 10 * 3));
  assert.deepEqual([...(three.labels ?? [])], [...(all.labels ?? [])].slice(0, 3));
  const seeded = [1, 2, 3].map(async (seed) => (await load({ seed, cache: 'b' })).files.join());
  const orders = new Set([all.files.join(), ...(await Promise.all(seeded))]);
  assert.ok(orders.size >= 3, 'different seeds give different orders (8! orders)');
  const again = await load({ cache: 'c' }); // a fresh cache: decoded again, bit-identical
  assert.deepEqual(again.files, all.files);
  assert.deepEqual(again.x, all.x);
  await assert.rejects(load({ count: 9, cache: 'a' }), (e: Error) => e instanceof RangeError && /count 9 exceeds the 8 images/.test(e.message));
});

test('cache: a hit skips decoding; a cut or orphaned entry and a changed file are misses', async () => {
  const dir = fresh();
  const s = await buildStandIn('voc2012', join(dir, 'data'), { perSplit: 5 });
  const cache = join(dir, 'cache');
  const calls: number[][] = [];
  const load = () => loadImageDataset({ dataset: 'voc2012', dataDir: s.dataDir, split: 'train', size: 8, count: 4, seed: 3,
    cacheDir: cache, onProgress: (d, t) => calls.push([d, t]) });
  const first = await load();
  assert.deepEqual(calls, [[1, 4], [2, 4], [3, 4], [4, 4]], 'decoded with progress');
  const entries = readdirSync(cache).sort();
  assert.equal(entries.length, 2, entries.join());
  assert.match(entries[0], /^voc2012-train-8px-4-seed3-[0-9a-f]{16}\.json$/);
  calls.length = 0;
  const hit = await load();
  assert.deepEqual(calls, [[4, 4]], 'a hit reports once, decodes nothing');
  assert.deepEqual(hit.x, first.x);
  // An interrupted write: the bytes cut short → a miss, decoded again (and rewritten).
  const data = join(cache, entries[1]);
  truncateSync(data, 100);
  calls.length = 0;
  assert.deepEqual((await load()).x, first.x);
  assert.equal(calls.length, 4, 'a cut entry is never used');
  // Bytes of the right length but not the ones the manifest vouches for → a miss.
  writeFileSync(data, Buffer.alloc(4 * 8 * 8 * 3, 7));
  calls.length = 0;
  assert.deepEqual((await load()).x, first.x);
  assert.equal(calls.length, 4);
  // The manifest gone (a crash between the two writes) → a miss.
  rmSync(join(cache, entries[0]));
  calls.length = 0;
  await load();
  assert.equal(calls.length, 4);
  // A selected file changed (mtime) → another key.
  const f = first.files[0];
  utimesSync(f, new Date(), new Date(Date.now() + 5000));
  calls.length = 0;
  await load();
  assert.equal(calls.length, 4);
  assert.equal(readdirSync(cache).filter((e) => e.endsWith('.json')).length, 2);
});

test('layout errors name the expected layout and what was found', async () => {
  const dir = fresh();
  const opts = (dataset: DatasetName, dataDir: string, split: DatasetSplit = 'train') =>
    ({ dataset, dataDir, split, size: 8, cacheDir: join(dir, 'cache') });
  // Missing folder; empty folder.
  await assert.rejects(loadImageDataset(opts('flickr8k', join(dir, 'nope'))), /data folder .*nope does not exist\. Expected layout: <root>\/Flicker8k_Dataset/);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(loadImageDataset(opts('mini-imagenet', empty)),
    /Mini-ImageNet: no Mini-ImageNet layout.*Expected layout: either \(a\) class folders.*\(b\).*found in .*empty: \(empty\)/);
  // Something else there: the listing names it.
  const other = join(dir, 'other', 'mini-imagenet');
  mkdirSync(join(other, 'images'), { recursive: true });
  writeFileSync(join(other, 'README.txt'), 'x');
  await assert.rejects(loadImageDataset(opts('mini-imagenet', join(dir, 'other'))), /found in .*mini-imagenet: README\.txt, images\//);
  // VOC: no test split; JPEGImages without ImageSets.
  const voc = await buildStandIn('voc2012', join(dir, 'voc'), { perSplit: 2 });
  await assert.rejects(loadImageDataset(opts('voc2012', voc.dataDir, 'test')), /split: PASCAL VOC 2012 has no public test set/);
  rmSync(join(voc.root, 'ImageSets'), { recursive: true });
  await assert.rejects(loadImageDataset(opts('voc2012', voc.dataDir)),
    /JPEGImages but neither ImageSets\/Main\/train\.txt nor ImageSets\/Segmentation\/train\.txt\. Expected layout: <root>\/VOC2012\/JPEGImages/);
  // Flickr8k: images listed but missing; an empty split file; no text files.
  const fl = await buildStandIn('flickr8k', join(dir, 'fl'), { perSplit: 3 });
  const [a, b] = (fl.splits.train ?? []).map((im) => im.file);
  rmSync(join(fl.root, a));
  rmSync(join(fl.root, b));
  await assert.rejects(loadImageDataset(opts('flickr8k', fl.dataDir)),
    new RegExp(`2 of the 3 images listed in .*Flickr_8k\\.trainImages\\.txt are missing from .*Flicker8k_Dataset; first missing: ${a.split('/')[1]}, ${b.split('/')[1]}`));
  writeFileSync(join(fl.root, 'Flickr_8k.devImages.txt'), '\n');
  await assert.rejects(loadImageDataset(opts('flickr8k', fl.dataDir, 'validation')), /split file .*Flickr_8k\.devImages\.txt lists no images/);
  rmSync(join(fl.root, 'Flickr_8k.trainImages.txt'));
  await assert.rejects(loadImageDataset(opts('flickr8k', fl.dataDir)), /no Flickr_8k\.trainImages\.txt .*Expected layout/);
  // Mini-ImageNet CSV: wrong header; a class-folder split without class folders.
  const csv = await buildStandIn('mini-imagenet', join(dir, 'csv'), { perSplit: 2, variant: 'csv' });
  writeFileSync(join(csv.root, 'val.csv'), 'image,class\nx.jpg,n1\n');
  await assert.rejects(loadImageDataset(opts('mini-imagenet', csv.dataDir, 'validation')), /val\.csv must start with the header "filename,label"/);
  const cf = await buildStandIn('mini-imagenet', join(dir, 'cf'), { perSplit: 2 });
  rmSync(join(cf.root, 'test'), { recursive: true });
  mkdirSync(join(cf.root, 'test'));
  writeFileSync(join(cf.root, 'test', 'a.jpg'), 'x');
  await assert.rejects(loadImageDataset(opts('mini-imagenet', cf.dataDir, 'test')), /test has no class folders.*found in .*test: a\.jpg/);
  // doctor: not found names where it looked.
  const st = datasetStatus('flickr8k', empty);
  assert.equal(st.ok, false);
  assert.match(st.detail, /not found.*no Flicker8k_Dataset folder.*Expected layout/);
});

test('workbook run --data-dir: a missing folder is a usage error (exit 2) naming the flag', () => {
  const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'workbook.js'), 'run', 'vscc', '--data-dir', join(scratch, 'nope')],
    { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--data-dir: the folder .*nope does not exist/);
});

test('bad options: a RangeError/TypeError naming the option', async () => {
  const base = { dataset: 'flickr8k', dataDir: '/nonexistent', split: 'train', size: 8 } as const;
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ dataset: 'imagenet' }, /dataset must be one of/], [{ split: 'val' }, /split must be one of/],
    [{ size: 0 }, /size must be an integer in 1\.\.4096/], [{ size: 1.5 }, /size/], [{ count: 0 }, /count/],
    [{ seed: -1 }, /seed/], [{ dataDir: 12 }, /dataDir/], [{ onProgress: 1 }, /onProgress/],
  ];
  for (const [patch, re] of bad) {
    await assert.rejects(loadImageDataset({ ...base, ...patch } as never), (e: Error) => (e instanceof RangeError || e instanceof TypeError) && re.test(e.message));
  }
});
