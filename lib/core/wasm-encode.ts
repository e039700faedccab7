/**
 * The few WebAssembly binary-format encoders the hand-assembled kernels share (lib/info/engine.ts,
 * lib/nn/fused-adam.ts, lib/nn/kernels/wasm-norm-simd.ts), so that no toolchain is needed in the repository.
 * Format: WebAssembly Core Specification 2.0, §5 "Binary Format" — integers are LEB128 (§5.2.2), vectors are a
 * u32 length then the items (§5.1.3), a section is its id, its byte size, then its body (§5.5.2), a name is a vector
 * of UTF-8 bytes (§5.2.4; ASCII here).
 */

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A vector: its length, then the items' bytes. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A section: id, byte size, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A name (import module/field, export): length-prefixed bytes of an ASCII string. */
export const wasmName = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
