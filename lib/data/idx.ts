/** IDX files (LeCun's MNIST format): big-endian magic 0x0000TTDD (TT = 0x08 unsigned byte, DD = rank), dims, data. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { assertInteger, assertString, describe } from '../core/index.js';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Reads an IDX file, gunzipping it first when it starts with the gzip magic (1f 8b). */
export function readIdxFile(path: string, expectedRank: number): IdxArray {
  assertString('path', path);
  assertInteger('expectedRank', expectedRank, 1, 255);
  let buf: Buffer = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return parseIdx(buf, expectedRank, path);
}

/** Parses IDX bytes; `name` (a file path, or 'buf') labels the errors, which are RangeErrors. */
const hex8 = (v: number): string => v.toString(16).padStart(8, '0');

export function parseIdx(buf: Uint8Array, expectedRank: number, name = 'buf'): IdxArray {
  if (!(buf instanceof Uint8Array)) {
    throw new TypeError(`buf must be a Uint8Array holding an IDX file, got ${describe(buf)}`);
  }
  assertInteger('expectedRank', expectedRank, 1, 255);
  assertString('name', name);
  if (buf.length < 4) throw new RangeError(`${name}: too short for an IDX header (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const expectedMagic = 0x0800 | expectedRank;
  if (magic !== expectedMagic) {
    throw new RangeError(
      `${name}: bad IDX magic 0x${hex8(magic)}, expected 0x${hex8(expectedMagic)} (bytes, rank ${expectedRank})`,
    );
  }
  const header = 4 + 4 * expectedRank;
  if (buf.length < header) throw new RangeError(`${name}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < expectedRank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count) {
    throw new RangeError(
      `${name}: IDX payload is ${buf.length - header} bytes, header dims ${dims.join('×')} need ${count}`,
    );
  }
  return { dims, data: buf.subarray(header, header + count) };
}
