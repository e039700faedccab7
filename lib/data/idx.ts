/** IDX files (LeCun's MNIST format): big-endian magic 0x0000TTDD (TT = 0x08 unsigned byte, DD = rank), dims, data. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Reads an IDX file, gunzipping it first when it starts with the gzip magic (1f 8b). */
export function readIdxFile(path: string, expectedRank: number): IdxArray {
  let buf: Buffer = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return parseIdx(buf, expectedRank, path);
}

export function parseIdx(buf: Uint8Array, expectedRank: number, name = 'IDX data'): IdxArray {
  if (buf.length < 4) throw new Error(`${name}: too short for an IDX header (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const expectedMagic = 0x0800 | expectedRank;
  if (magic !== expectedMagic) {
    throw new Error(`${name}: bad IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${expectedMagic.toString(16).padStart(8, '0')} (unsigned bytes, rank ${expectedRank})`);
  }
  const header = 4 + 4 * expectedRank;
  if (buf.length < header) throw new Error(`${name}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < expectedRank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count) {
    throw new Error(`${name}: IDX payload is ${buf.length - header} bytes, header dims ${dims.join('×')} need ${count}`);
  }
  return { dims, data: buf.subarray(header, header + count) };
}
