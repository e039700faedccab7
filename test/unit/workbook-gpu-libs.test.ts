/**
 * The CUDA / cuDNN check of `workbook doctor` (lib/workbook/gpu-libs.ts) on made-up library lists, as `ldconfig -p`
 * and the CUDA folders of a machine would give them: a complete CUDA 11.2 + cuDNN 8.1 install (what tfjs-node-gpu
 * 4.22 needs), nothing at all, this machine's kind (a CUDA 13 runtime, no cuDNN, no driver), a cuDNN 9, an older
 * CUDA 11.0, and a newer CUDA 11.8 (loads: same sonames). Expected values are read off the lists by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGpuLibraries, parseLdconfig, parseLibraryName, REQUIRED_SONAMES, TFJS_NODE_GPU_NEEDS } from '../../lib/workbook/gpu-libs.js';

/** A CUDA 11.x toolkit's lib64 (sonames and the real files they link to), version `ver` = [major, minor, patch]. */
function cudaFiles(dir: string, ver: [number, number, number]): string[] {
  const [a, b, c] = ver;
  return [
    `libcudart.so.11.0`, `libcudart.so.${a}.${b}.${c}`, 'libcublas.so.11', `libcublas.so.11.${b}.1.74`,
    'libcublasLt.so.11', `libcublasLt.so.11.${b}.1.74`, 'libcufft.so.10', 'libcufft.so.10.4.0.72',
    'libcurand.so.10', 'libcurand.so.10.2.3.72', 'libcusolver.so.11', 'libcusolver.so.11.0.3.72',
    'libcusparse.so.11', 'libcusparse.so.11.3.1.68',
  ].map((f) => `${dir}/${f}`);
}
const driver = ['/usr/lib/x86_64-linux-gnu/libcuda.so.1', '/usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05'];
const cudnn81 = ['/usr/local/cuda-11.2/lib64/libcudnn.so.8', '/usr/local/cuda-11.2/lib64/libcudnn.so.8.1.1'];

test('TFJS_NODE_GPU_NEEDS: CUDA 11.2 and cuDNN 8.1 for libtensorflow 2.9.1; the sonames libtensorflow opens', () => {
  assert.deepEqual([TFJS_NODE_GPU_NEEDS.version, TFJS_NODE_GPU_NEEDS.libtensorflow], ['4.22.0', '2.9.1']);
  assert.deepEqual([TFJS_NODE_GPU_NEEDS.cuda, TFJS_NODE_GPU_NEEDS.cudnn], [{ major: 11, minor: 2 }, { major: 8, minor: 1 }]);
  assert.ok(REQUIRED_SONAMES.some((s) => s.soname === 'libcudart.so.11.0'));
  assert.ok(REQUIRED_SONAMES.some((s) => s.soname === 'libcudnn.so.8'));
});

test('parseLibraryName and parseLdconfig', () => {
  assert.deepEqual(parseLibraryName('/x/libcudart.so.11.2.152'), { name: 'libcudart', version: [11, 2, 152], text: '11.2.152' });
  assert.deepEqual(parseLibraryName('libcublasLt.so'), { name: 'libcublasLt', version: [], text: '' });
  assert.equal(parseLibraryName('libcudart_static.a'), null);
  const text = '2 libs found in cache `/etc/ld.so.cache\'\n'
    + '\tlibcudart.so.13 (libc6,x86-64) => /usr/local/cuda-13.0/lib/libcudart.so.13\n'
    + '\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6\n';
  assert.deepEqual(parseLdconfig(text), ['/usr/local/cuda-13.0/lib/libcudart.so.13', '/lib/x86_64-linux-gnu/libc.so.6']);
  assert.throws(() => parseLdconfig(3 as unknown as string), /text must be ldconfig -p output/);
});

test('a complete CUDA 11.2 + cuDNN 8.1 install with a driver: ok, versions from the real file names', () => {
  const r = checkGpuLibraries({ files: [...cudaFiles('/usr/local/cuda-11.2/lib64', [11, 2, 152]), ...cudnn81, ...driver] });
  assert.equal(r.ok, true, r.problems.join('; '));
  assert.deepEqual([r.cuda, r.cudnn, r.driver], ['11.2.152', '8.1.1', '535.104.05']);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.notes, []);
  assert.ok(r.sonames.every((s) => s.path !== null));
});

test('nothing installed: every soname missing, each problem names what is needed', () => {
  const r = checkGpuLibraries({ files: ['/lib/x86_64-linux-gnu/libc.so.6'] });
  assert.equal(r.ok, false);
  assert.deepEqual([r.cuda, r.cudnn, r.driver], [null, null, null]);
  assert.ok(r.sonames.every((s) => s.path === null));
  assert.match(r.problems.join('\n'), /no NVIDIA driver library libcuda\.so\.1/);
  assert.match(r.problems.join('\n'), /libcudart\.so\.11\.0 missing: no CUDA runtime found; .*needs CUDA 11\.x ≥ 11\.2/);
  assert.match(r.problems.join('\n'), /libcudnn\.so\.8 missing: no cuDNN found; .*needs cuDNN 8\.x ≥ 8\.1/);
});

test('CUDA 13 runtime only (this machine): wrong version, read from the header; no cuDNN, no driver', () => {
  const files = ['/usr/local/cuda-13.0/lib/libcudart.so.13', '/usr/local/cuda-13.0/lib/libcudart.so'];
  const r = checkGpuLibraries({ files, headers: ['#define CUDART_VERSION  13000\n'] });
  assert.equal(r.ok, false);
  assert.equal(r.cuda, '13.0');
  assert.deepEqual(r.sonames.find((s) => s.soname === 'libcudart.so.11.0')?.otherVersions, ['libcudart.so.13']);
  assert.match(r.problems.join('\n'), /libcudart\.so\.11\.0 missing: found libcudart\.so\.13 \(CUDA 13\.0\)/);
  // Without the header only the soname's major is known.
  assert.equal(checkGpuLibraries({ files }).cuda, '13.x');
});

test('cuDNN 9 beside CUDA 11.2: libcudnn.so.8 missing, cuDNN 9.x named', () => {
  const files = [...cudaFiles('/opt/cuda/lib64', [11, 2, 152]), ...driver,
    '/opt/cudnn/lib/libcudnn.so.9', '/opt/cudnn/lib/libcudnn.so.9.1.0'];
  const r = checkGpuLibraries({ files });
  assert.equal(r.ok, false);
  assert.equal(r.cudnn, '9.1.0');
  assert.deepEqual(r.problems, [
    'libcudnn.so.8 missing: found libcudnn.so.9, libcudnn.so.9.1.0 (cuDNN 9.1.0); tfjs-node-gpu 4.22.0 needs cuDNN 8.x ≥ 8.1 (tested: 8.1)',
  ]);
});

test('CUDA 11.0 (same soname, older than 11.2) is a problem; CUDA 11.8 a note; versions from headers too', () => {
  const old = checkGpuLibraries({ files: [...cudaFiles('/c/lib64', [11, 0, 221]), ...cudnn81, ...driver] });
  assert.equal(old.ok, false);
  assert.deepEqual(old.problems, ['CUDA 11.0.221 is older than 11.2: needs CUDA 11.x ≥ 11.2']);
  const newer = checkGpuLibraries({ files: [...cudaFiles('/c/lib64', [11, 8, 89]), ...cudnn81, ...driver] });
  assert.equal(newer.ok, true);
  assert.equal(newer.cuda, '11.8.89');
  assert.match(newer.notes.join('\n'), /CUDA 11\.8\.89 is newer than the tested 11\.2/);
  // Sonames only (no real files with full versions): the headers give the versions.
  const sonamesOnly = REQUIRED_SONAMES.map((s) => `/usr/lib/${s.soname}`);
  const h = checkGpuLibraries({
    files: sonamesOnly,
    headers: ['#define CUDART_VERSION 11020', '#define CUDNN_MAJOR 8\n#define CUDNN_MINOR 0\n#define CUDNN_PATCHLEVEL 5\n'],
  });
  assert.deepEqual([h.cuda, h.cudnn], ['11.2', '8.0.5']);
  assert.deepEqual(h.problems, ['cuDNN 8.0.5 is older than 8.1: needs cuDNN 8.x ≥ 8.1']);
});

test('checkGpuLibraries rejects malformed input with the argument named', () => {
  assert.throws(() => checkGpuLibraries(null as never), /input must be an object/);
  assert.throws(() => checkGpuLibraries({ files: 'libcudart.so.11.0' } as never), /input\.files must be an array/);
  assert.throws(() => checkGpuLibraries({ files: [], headers: [1] } as never), /input\.headers must be an array/);
});
