/**
 * Photo decoding for the photo set, kept behind one small function so it can be swapped (e.g. for `sharp`, which the
 * papers' dataset loaders in datasets/ use; the photo set keeps PIL so existing builds stay valid). The default uses
 * Debian's Python Imaging Library (`/usr/bin/python3` + `python3-pil`): decode,
 * apply the EXIF orientation, convert to RGB, and shrink (never enlarge) with Lanczos so that the shorter side is
 * `shortSide` pixels.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { assertInteger, assertString } from '../core/index.js';
import { MAX_PHOTO_SIDE, type DecodedImage } from './photo-patches.js';

const run = promisify(execFile);

export type PhotoDecoder = (path: string, shortSide: number) => Promise<DecodedImage>;

export const PYTHON = '/usr/bin/python3';
export const PIL_FIX = 'apt-get install -y python3-pil';

const SCRIPT = `
import sys
from PIL import Image, ImageOps
src, short = sys.argv[1], int(sys.argv[2])
im = Image.open(src)
im = ImageOps.exif_transpose(im)
im = im.convert('RGB')
w, h = im.size
s = min(w, h)
if short > 0 and s > short:
    nw, nh = max(1, round(w * short / s)), max(1, round(h * short / s))
    im = im.resize((nw, nh), getattr(Image, 'Resampling', Image).LANCZOS)
out = sys.stdout.buffer
out.write(('%d %d\\n' % im.size).encode())
out.write(im.tobytes())
`;

export const decodeWithPil: PhotoDecoder = async (path, shortSide) => {
  assertString('path', path);
  assertInteger('shortSide', shortSide, 0, MAX_PHOTO_SIDE);
  let stdout: Buffer;
  try {
    ({ stdout } = await run(PYTHON, ['-c', SCRIPT, path, String(shortSide)], { encoding: 'buffer', maxBuffer: 1 << 30 }));
  } catch (err) {
    const msg = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message);
    if (/No module named 'PIL'|ENOENT/.test(msg)) throw new Error(`decoding photos needs ${PYTHON} with PIL. Fix: ${PIL_FIX}`);
    throw new Error(`decoding ${path} failed: ${msg.trim().split('\n').pop()}`);
  }
  const nl = stdout.indexOf(10);
  const [width, height] = stdout.subarray(0, nl).toString('ascii').split(' ').map(Number);
  const rgb = new Uint8Array(stdout.buffer, stdout.byteOffset + nl + 1, stdout.length - nl - 1);
  if (!(width > 0 && height > 0) || rgb.length !== width * height * 3) {
    throw new Error(`decoding ${path}: got ${rgb.length} bytes for ${width}×${height} RGB`);
  }
  return { width, height, rgb };
};

/** True when the default decoder can run here. */
export async function pilAvailable(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import PIL.Image']);
    return true;
  } catch {
    return false;
  }
}
