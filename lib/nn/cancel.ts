/**
 * Cooperative cancellation of long synchronous loops. A sweep worker registers a check (is my parent still
 * alive?); train() and long trial loops call throwIfCancelled() once per step. Events such as the IPC channel's
 * 'disconnect' cannot fire while a loop holds the event loop, so the check is polled instead (process.ppid is a
 * live system call, about a microsecond).
 */
let check: (() => string | null) | null = null;

/** Registers the check: it returns a reason to stop, or null to go on. `null` removes it. */
export function setCancellationCheck(fn: (() => string | null) | null): void {
  if (fn !== null && typeof fn !== 'function') {
    throw new TypeError(`fn must be a function returning a reason or null, or null, got ${typeof fn}`);
  }
  check = fn;
}

/** Throws `Error('cancelled: <reason>')` when the registered check asks to stop. */
export function throwIfCancelled(): void {
  const reason = check?.();
  if (reason) throw new Error(`cancelled: ${reason}`);
}
