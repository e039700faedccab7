/**
 * Linux /proc/<pid>/stat, read once: the fields after the command name. The line is `pid (comm) state ppid …` and
 * comm may hold spaces and parentheses, so the fields start after the LAST ')'. Index 0 is the state (Z = zombie),
 * 1 the parent pid, 19 the start time in clock ticks (proc(5), counting from `state`).
 */
import { readFileSync } from 'node:fs';

/** The stat fields from `state` on, or null when the process is gone or there is no /proc. */
export function procStatFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
