/**
 * Runs one entry point's rows of the bad-input table (test/helpers/inputs/table.ts) in a child process, so the
 * test's watchdog can stop a call that hangs and a call that aborts the process (a native addon given NaN) fails
 * that entry instead of the whole test. Posts `start` before every call, `fail` for every call that was not
 * refused properly, and `done` with the counts. Usage: fork(worker.js, [entry]).
 */
import { badCalls, invoke, judge, type EntryTable } from './table.js';

export interface WorkerMessage {
  readonly type: 'start' | 'fail' | 'done';
  readonly label?: string;
  readonly message?: string;
  readonly functions?: number;
  readonly calls?: number;
}

const post = (m: WorkerMessage): void => {
  process.send?.(m);
};

async function run(entry: string): Promise<void> {
  const mod = (await import(`../../../lib/${entry}/index.js`)) as Record<string, unknown>;
  const table = ((await import(`./${entry}.js`)) as { table: EntryTable }).table;
  let calls = 0;
  for (const [name, row] of Object.entries(table.rows)) {
    const fn = mod[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') {
      post({ type: 'fail', label: name, message: 'not an exported function of this entry point' });
      continue;
    }
    if (row.skipValid === undefined) {
      post({ type: 'start', label: `${name}: valid call` });
      try {
        await invoke(fn, row.args(), row.construct === true);
      } catch (err) {
        post({ type: 'fail', label: `${name}: valid call`,
          message: `the table's valid call threw: ${String((err as Error)?.message ?? err)}` });
      }
    }
    for (const call of badCalls(name, row)) {
      post({ type: 'start', label: call.label });
      calls++;
      const verdict = await judge(fn, call, row.construct === true);
      if (verdict !== null) post({ type: 'fail', label: call.label, message: verdict });
    }
  }
  post({ type: 'done', functions: Object.keys(table.rows).length, calls });
}

// `node --test dist/test/` also loads this file as a test file: it only runs as the table's worker (with an IPC
// channel and an entry name).
const entry = process.argv[2];
if (process.send !== undefined && typeof entry === 'string') {
  run(entry).catch((err: unknown) => {
    post({ type: 'fail', label: 'worker', message: String((err as Error)?.stack ?? err) });
    post({ type: 'done', functions: 0, calls: 0 });
  });
}
