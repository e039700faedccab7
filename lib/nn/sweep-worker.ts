/**
 * Child process of runSweep: receives {id, module, exportName, config}, replies {id, ok, result, code | error}, where
 * `code` is the code version of the module as this process loaded it (the key its result is cached under).
 */
import { setCancellationCheck } from './cancel.js';
import { codeVersion } from './code-version.js';

type Request = { id: number; module: string; exportName: string; config: unknown };

// A worker outlives a killed parent (SIGKILL, a crashed kernel) unless it notices: training loops poll this check
// and stop at the next step (their checkpoints make the run resumable); an idle worker exits on 'disconnect'.
const parent = process.ppid;
setCancellationCheck(() => (process.ppid !== parent ? `the sweep's parent process ${parent} is gone` : null));
process.on('disconnect', () => process.exit(0));

process.on('message', (msg: Request) => {
  void (async () => {
    const t0 = Date.now();
    try {
      const mod = (await import(msg.module)) as Record<string, unknown>;
      const code = codeVersion(msg.module).version;
      const fn = mod[msg.exportName];
      if (typeof fn !== 'function') throw new TypeError(`${msg.module} has no exported function ${JSON.stringify(msg.exportName)}`);
      const result: unknown = await (fn as (c: unknown) => unknown)(msg.config);
      // Round-trip through JSON now so a non-serialisable result fails here, with its config, not in the cache.
      const reply = JSON.parse(JSON.stringify(result ?? null)) as unknown;
      process.send?.({ id: msg.id, ok: true, result: reply, elapsedMs: Date.now() - t0, code });
    } catch (err) {
      if (process.ppid !== parent) process.exit(0);
      const e = err instanceof Error ? err : new Error(String(err));
      process.send?.({ id: msg.id, ok: false, error: e.message, stack: e.stack });
    }
  })();
});
