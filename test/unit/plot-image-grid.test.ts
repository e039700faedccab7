/** The PNG encoder and image grid of lib/plot/image-grid.ts, decoded back with node:zlib. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { renderImageGrid, encodePng, crc32 } from '../../lib/plot/index.js';

test('renderImageGrid: a valid PNG of the right size whose pixels decode back', () => {
  const grey = (v: number) => new Float32Array(6).fill(v); // 3×2 images
  const g = renderImageGrid({ images: [[grey(0), grey(1)], [grey(0.5)]], width: 3, height: 2, channels: 1, scale: 2, gap: 1 });
  assert.equal(g.width, 2 * 3 * 2 + 3);
  assert.equal(g.height, 2 * 2 * 2 + 3);
  const png = g.png;
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset);
  assert.equal(view.getUint32(8), 13);
  assert.equal(Buffer.from(png.subarray(12, 16)).toString('latin1'), 'IHDR');
  assert.equal(view.getUint32(16), g.width);
  assert.equal(view.getUint32(20), g.height);
  assert.equal(png[24], 8);
  assert.equal(png[25], 0);
  assert.equal(view.getUint32(29), zlibCrc32(png.subarray(12, 29)), 'IHDR CRC (node:zlib crc32)');
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926); // the CRC-32 check value
  const idatLen = view.getUint32(33);
  assert.equal(Buffer.from(png.subarray(37, 41)).toString('latin1'), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  const stride = g.width + 1;
  assert.equal(raw.length, g.height * stride);
  const at = (x: number, y: number) => raw[y * stride + 1 + x];
  assert.equal(at(0, 0), 255); // gap (white background)
  assert.equal(at(1, 1), 0); // first image, black
  assert.equal(at(1 + 6 + 1, 1), 255); // second image, white
  assert.equal(at(1, 1 + 4 + 1), 128); // second row, grey 0.5
  assert.equal(at(1 + 6 + 1, 1 + 4 + 1), 255); // missing cell: background
  assert.match(g.svg, /^<svg[^>]+width="15" height="11"[^>]*>.*data:image\/png;base64,iVBORw0KGgo/);
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2, 1), /pixels/);
});
