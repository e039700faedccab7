/**
 * Client of the benchmarks' python peers (bench/peers/nn_peer.py: PyTorch mirrors of the paper models;
 * bench/peers/info_peer.py: numpy solvers): one long-lived Debian /usr/bin/python3 process, one thread (BLAS pinned
 * by OPENBLAS_NUM_THREADS=1), one JSON line each way per request. Requests are strictly sequential, so the peer
 * only runs while the caller waits: interleaving our turns with the peer's never lets the two compete for a core.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { projectRoot } from '../lib/core/index.js';

/** Debian's python3 (with python3-torch); BENCH_PYTHON overrides it (a missing path shows the no-peer output). */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** What nn_peer.py's build answers: parameter count, tensor count, tensor sizes (ascending). */
export interface MirrorInfo { readonly params: number; readonly tensors: number; readonly sizes: number[] }

/** What nn_peer.py's hello answers. */
export interface PeerInfo {
  readonly torch: string;
  readonly threads: number;
  readonly blas: readonly string[];
}

/**
 * bench/peers/<name>, or the reason it cannot run (no python3, `module` not importable, no script).
 * Defaults: the torch peer of bench/nn.ts.
 */
export function peerScript(
  name = 'nn_peer.py', module: 'torch' | 'numpy' = 'torch',
): { script: string } | { missing: string } {
  const script = join(projectRoot(), 'bench', 'peers', name);
  if (!existsSync(script)) return { missing: `${script} not found` };
  const probe = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', env: peerEnv() });
  if (probe.error) return { missing: `${PYTHON} not runnable (${probe.error.message})` };
  if (probe.status !== 0) {
    return { missing: `${PYTHON} cannot import ${module} (scripts/bench-peers.sh installs python3-${module}, root)` };
  }
  return { script };
}

function peerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
}

export class PythonPeer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private stderr = '';
  private closed = false;

  private constructor(script: string) {
    this.proc = spawn(PYTHON, [script], { env: peerEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (l) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(l);
      } else this.pending.push(l);
    });
    this.lines.on('close', () => {
      this.closed = true;
      this.waiter?.(null);
      this.waiter = null;
    });
  }

  /** Starts the peer and checks it answers; throws with the peer's stderr when it does not. */
  static async start<I = PeerInfo>(script: string): Promise<{ peer: PythonPeer; info: I }> {
    const peer = new PythonPeer(script);
    const info = await peer.request<I>({ cmd: 'hello' }, 120_000);
    return { peer, info };
  }

  private nextLine(timeoutMs: number): Promise<string | null> {
    const queued = this.pending.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`python peer: no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiter = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
  }

  /** Sends one request and waits for its reply; a reply {error} or a dead peer throws. */
  async request<T>(msg: Record<string, unknown>, timeoutMs = 600_000): Promise<T> {
    if (this.closed) throw new Error(`python peer has exited: ${this.stderr.trim().split('\n').pop() ?? ''}`);
    this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    const line = await this.nextLine(timeoutMs);
    if (line === null) {
      throw new Error(`python peer exited during ${String(msg.cmd)}: ${this.stderr.trim() || 'no message'}`);
    }
    const reply = JSON.parse(line) as T & { error?: string; trace?: string };
    if (reply.error) {
      const what = `${String(msg.cmd)} ${String(msg.model ?? msg.id ?? (msg.case as { id?: string } | undefined)?.id ?? '')}`;
      throw new Error(`python peer, ${what}: ${reply.error}\n${reply.trace ?? ''}`);
    }
    return reply;
  }

  /** nn_peer.py: builds the mirror; its parameter count, tensor count, and tensor sizes (ascending). */
  build(model: string, spec: Record<string, unknown>, seed = 1): Promise<MirrorInfo> {
    return this.request({ cmd: 'build', model, spec, seed });
  }

  /** nn_peer.py: runs `steps` training steps; wall and process-CPU milliseconds of each, and the last loss. */
  steps(model: string, steps: number): Promise<{ ms: number[]; cpuMs: number[]; loss: number | null }> {
    return this.request({ cmd: 'steps', model, steps });
  }

  /**
   * nn_peer.py: prepares one kernel-ceiling case (bench/kernel-ceiling.ts) and answers its output's shape (tfjs
   * layout) and checksum.
   */
  kernelBuild(c: { readonly id: string }): Promise<{ shape: number[]; sum: number; scale: number }> {
    return this.request({ cmd: 'kernel-build', case: c });
  }

  /** nn_peer.py: `calls` calls of a prepared kernel; wall and process-CPU milliseconds of each. */
  kernelRun(id: string, calls: number): Promise<{ ms: number[]; cpuMs: number[] }> {
    return this.request({ cmd: 'kernel-run', id, calls });
  }

  async kernelFree(id: string): Promise<void> {
    await this.request({ cmd: 'kernel-free', id });
  }

  async free(model: string): Promise<void> {
    await this.request({ cmd: 'free', model });
  }

  /** Asks the peer to exit (and kills it if it does not within 5 s). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.request({ cmd: 'quit' }, 5000);
    } catch {
      // fall through to kill
    }
    if (this.proc.exitCode === null) this.proc.kill();
    this.lines.close();
  }
}
