// Whether a process is running, from Linux /proc, for the tests that check a run leaves nothing behind.
import { readFileSync } from 'node:fs';

/** Running (a zombie waiting for a reaper counts as gone: it runs nothing and writes nothing). */
export const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
};
