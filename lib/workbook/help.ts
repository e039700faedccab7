/**
 * `workbook <command> --help`: the usage lines of that command, cut from the CLI's one usage text (so a command
 * added to the usage text gets its help without more code). Null for a command the usage text does not name.
 */
export function commandHelp(usage: string, command: string): string | null {
  if (!/^[a-z][a-z-]*$/.test(command)) return null;
  const lines = usage.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s+workbook ${command}(\\s|$)`).test(l));
  if (start < 0) return null;
  const own = [lines[start]];
  for (const l of lines.slice(start + 1)) {
    if (/^\s+workbook /.test(l) || !/^\s{4,}/.test(l)) break;
    own.push(l);
  }
  const notes = lines.filter((l) => !/^\s/.test(l) && l.includes(`${command} `) && !l.startsWith('usage'));
  return ['usage:', ...own, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
