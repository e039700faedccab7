// LEB128 and the vector/section/name framing of lib/core/wasm-encode.ts. Reference: the worked examples of the
// LEB128 article (624485 → E5 8E 26, −123456 → C0 BB 78) and the WebAssembly binary format's framing rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { section, sleb, uleb, vec, wasmName } from '../../lib/core/wasm-encode.js';

test('uleb/sleb match the reference encodings and decode back', () => {
  assert.deepEqual(uleb(0), [0]);
  assert.deepEqual(uleb(127), [0x7f]);
  assert.deepEqual(uleb(128), [0x80, 0x01]);
  assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(uleb(2 ** 32 - 1), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
  assert.deepEqual(sleb(-1), [0x7f]);
  assert.deepEqual(sleb(63), [0x3f]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-64), [0x40]);
  const decode = (bytes: number[], signed: boolean): number => {
    let v = 0n, shift = 0n;
    for (const b of bytes) { v |= BigInt(b & 0x7f) << shift; shift += 7n; }
    if (signed && (bytes[bytes.length - 1] & 0x40)) v -= 1n << shift;
    return Number(v);
  };
  for (const n of [0, 1, 300, 65535, 1e6, 2 ** 31 - 1]) assert.equal(decode(uleb(n), false), n);
  for (const n of [0, 5, -5, 1000, -1000, 2 ** 31 - 1, -(2 ** 31)]) assert.equal(decode(sleb(n), true), n);
});

test('vec, section and wasmName frame their contents with LEB128 lengths', () => {
  assert.deepEqual(vec([[1, 2], [3]]), [2, 1, 2, 3]);
  assert.deepEqual(section(7, [9, 9, 9]), [7, 3, 9, 9, 9]);
  assert.deepEqual(wasmName('env'), [3, 0x65, 0x6e, 0x76]);
  const big = new Array(200).fill([0]);
  assert.deepEqual(vec(big).slice(0, 2), [0xc8, 0x01]);
  // the smallest valid module (magic, version) plus an empty type section compiles
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, vec([]))]);
  const wa = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  assert.ok(wa.validate(bytes));
});
