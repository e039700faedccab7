/**
 * Identity (tf.clone) for the tfjs 4.22 wasm backend that shares its input's buffer (one more backend reference, as
 * the cpu and webgl backends' Identity and every backend's Reshape do) instead of copying it. tfjs' autograd clones
 * every tensor a custom op saves for its backward pass, and the wasm backend's own Identity copies each one: on the
 * VSCC training step that was ~490 copies, ~6 % of the step (bench/nn.js --profile-step vscc).
 * Sharing is safe where a buffer is never written in place while another tensor refers to it: wasm kernels write
 * fresh outputs; lib/nn/fused-adam.ts writes the moments in place only when their reference count is 1 (copy-on-write
 * otherwise, test/unit/nn-train.test.ts) and the parameters always to a fresh buffer.
 * Source: tfjs-backend-wasm 4.22 kernels/Identity.js (copies) and kernels/Reshape.js (backend.incRef, shares).
 */
import { tf } from '../tf.js';

interface IdentityArgs {
  inputs: { x: tf.TensorInfo };
  backend: { incRef(dataId: object): void };
}

function sharedIdentity(args: IdentityArgs): tf.TensorInfo {
  const { x } = args.inputs;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/** Replaces the wasm backend's Identity kernel by sharedIdentity (idempotent; after the backend's import). */
export function registerWasmSharedIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (current !== undefined && current.kernelFunc === (sharedIdentity as unknown as tf.KernelFunc)) return;
  if (current !== undefined) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity as unknown as tf.KernelFunc,
  });
}
