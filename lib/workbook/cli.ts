/**
 * The `workbook` command: run | plan | export | notebook | lab | doctor | clean | status | cache.
 * Exit codes: 0 ok, 1 failure, 2 bad usage.
 */
import { basename, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { projectRoot } from '../core/index.js';
import { formatChecks, fixProblems, runChecks } from './doctor.js';
import { EXPORT_FORMATS, exportLocations, exportNotebook, type ExportFormat, type PaperSize } from './export.js';
import { cmdNotebook } from './notebook-server.js';
import { clearOutputs, hasOutputs, parseParam, readNotebook, validateParameters, writeNotebook, type ParamValue } from './notebook.js';
import { updateReadmeStatus } from './status.js';
import { cacheCommand } from './cache-command.js';
import { CellError, DEFAULT_NOTEBOOK_TIMEOUT_S, figuresRootFor, listNotebooks, notebookCellTimeout, PROFILES, resolveNotebook, runNotebook, type Profile } from './runner.js';
import { updateExpected } from './expected.js';
import { commandHelp } from './help.js';
import { formatPlan, planNotebook } from './plan.js';
import { DEFAULT_SHARD_TIMEOUT_S, parseShard, parseShardCount, type Shard } from '../nn/sweep-coord.js';
import type { SweepRunOptions } from './runner.js';
import { buildDir } from './build-dir.js';

const USAGE = `usage:
  workbook run [notebook…] [--profile quick|full|paper] [--param key=value]… [--out DIR]
               [--cell-timeout SECONDS] [--timeout SECONDS] [--export html,pdf] [--quiet] [--update-expected]
               [--data-dir DIR] [--shard i/n [--shard-timeout SECONDS]] [--from-cache [--shards n]]
  workbook plan [notebook…] [--profile quick|full|paper] [--param key=value]… [--shards n] [--json]
                                      each sweep's configurations: hash, cached or not, owner shard, estimated cost
  workbook export [notebook…] [--profile quick|full|paper] [--to html,pdf] [--out DIR] [--paper a4|letter] [--no-input]
  workbook notebook [--port N] [--notebook-dir DIR]
                                      serve notebooks/ in the classic Jupyter Notebook (lab: JupyterLab, if installed)
  workbook doctor [--fix]             checks the toolchain and data; reports the tfjs backend in use and why, and (optional)
                                      tfjs-node-gpu with the CUDA 11.2 / cuDNN 8.1 libraries it needs
  workbook clean [notebook…]          strip outputs (notebooks are committed clean)
  workbook check-clean [notebook…]    exit 1 if a notebook has outputs
  workbook status [--write|--check]   claims status per paper from figures/*/results.json (--write: into README.md;
                                      --check: exit 1 if README.md's table differs)
  workbook cache list|clear [paper…] [--stale] [--json]
                                      result caches (models, checkpoints, sweeps) with code versions; --help for more
Notebooks are names in notebooks/ (zepe, vscc, e2ec, codebook) or paths; default: all of them.
run prints each code cell as it starts and ends, and what the kernel prints; --quiet keeps only the summary.
--out DIR is the run's folder for run and export alike: run writes DIR/<notebook>.ipynb, export reads it there and
writes the HTML/PDF beside it (default: build/<profile>/notebooks → build/<profile>/export).
run --data-dir DIR sets SEMCOM_DATA_DIR for the kernel: the papers' datasets (README "Datasets on disk").
run --profile paper: the papers' own settings on their datasets (GPU days for vscc), written under build/paper/.
run --profile quick --update-expected rewrites test/expected/<paper>.quick.json from the run (on purpose only).
run --shard i/n (1 ≤ i ≤ n) trains the sweep configurations shard i owns, waits for the others' in $SEMCOM_CACHE
run --shard: owner = (first 48 bits of the configuration hash mod n) + 1; wait ≤ --shard-timeout s (default 86400)
run --shard adds --shard-timeout to the default --cell-timeout and --timeout (a shard's cell may wait that long)
run --shard writes its notebook and figures to build/shards/<profile>/<i>-of-<n>/, never figures/ or build/<profile>/
run --from-cache trains nothing: exit 1 listing each missing configuration (--shards n: and the shard owning it)
plan executes the notebook up to the first sweep with missing entries (later sweeps depend on it); --json for JSON.
workbook <command> --help shows that command's usage.`;

class UsageError extends Error {}

function profileOf(v: string | undefined): Profile {
  const p = v ?? 'quick';
  if (!(PROFILES as readonly string[]).includes(p)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got ${JSON.stringify(p)}`);
  return p as Profile;
}

function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

function formatsOf(v: string | undefined, fallback: ExportFormat[]): ExportFormat[] {
  if (v === undefined) return fallback;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--to/--export takes ${EXPORT_FORMATS.join(',')}, got ${JSON.stringify(f)}`);
  return list as ExportFormat[];
}

function notebooksOf(positionals: string[]): string[] {
  const list = positionals.length > 0 ? positionals.map(resolveNotebook) : listNotebooks();
  if (list.length === 0) throw new Error('no notebooks found in notebooks/');
  return list;
}

async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' }, param: { type: 'string', multiple: true }, out: { type: 'string' },
      'cell-timeout': { type: 'string' }, timeout: { type: 'string' }, export: { type: 'string' }, quiet: { type: 'boolean' },
      'update-expected': { type: 'boolean' }, 'data-dir': { type: 'string' }, shard: { type: 'string' }, 'shard-timeout': { type: 'string' },
      'from-cache': { type: 'boolean' }, shards: { type: 'string' },
    },
  });
  const profile = profileOf(values.profile);
  const dataDir = values['data-dir'] === undefined ? undefined : resolve(values['data-dir']);
  if (dataDir !== undefined && !existsSync(dataDir)) throw new UsageError(`--data-dir: the folder ${dataDir} does not exist`);
  const sweeps = sweepFlags(values);
  const shard = sweeps?.shard;
  if (shard && values['update-expected']) throw new UsageError('--update-expected takes a whole run: not with --shard (use it on the --from-cache draw run)');
  if (shard && values.export) throw new UsageError('--export with --shard: export the --from-cache draw run, which draws every figure');
  if (values['update-expected'] && profile !== 'quick') throw new UsageError('--update-expected rewrites the quick profile\'s expected values: use it with --profile quick');
  const params: Record<string, ParamValue> = {};
  for (const p of values.param ?? []) {
    const [k, v] = parseParam(p);
    params[k] = v;
  }
  const notebooks = notebooksOf(positionals);
  const formats = formatsOf(values.export, []);
  const cellTimeout = seconds('--cell-timeout', values['cell-timeout']);
  const notebookTimeout = seconds('--timeout', values.timeout);
  const shardDir = shard ? buildDir('shards', profile, `${shard.index}-of-${shard.count}`) : null;
  const outDir = values.out ? resolve(values.out) : shardDir ? join(shardDir, 'notebooks') : buildDir(profile, 'notebooks');
  const figuresRoot = shardDir ? join(shardDir, 'figures') : undefined;
  // Every notebook's parameters are checked before any runs: a bad --param must not cost an hour of the first one.
  for (const nb of notebooks) {
    const parsed = readNotebook(nb);
    const profiles = parsed.metadata.workbook?.profiles;
    if (profiles && !(profile in profiles)) {
      throw new UsageError(`${basename(nb, '.ipynb')} has no '${profile}' profile (it has ${Object.keys(profiles).join(', ')})`);
    }
    if (sweeps && parsed.metadata.workbook?.sweeps !== true) {
      throw new UsageError(`${basename(nb, '.ipynb')} has no sweep (metadata.workbook.sweeps): --shard/--from-cache/--shards only apply to notebooks that train sweeps (vscc, e2ec, codebook); run it without them`);
    }
    validateParameters(basename(nb, '.ipynb'), parsed, { ...profiles?.[profile], ...params });
    if (cellTimeout === undefined) notebookCellTimeout(parsed, basename(nb, '.ipynb'));
  }
  for (const nb of notebooks) {
    const name = basename(nb, '.ipynb');
    process.stderr.write(`▶ ${name} (profile ${profile}${shard ? `, shard ${shard.index}/${shard.count}` : ''}${sweeps?.mode === 'from-cache' ? ', from the cache' : ''})\n`);
    // A shard may wait up to --shard-timeout inside one cell for the other shards: the default limits make room for it.
    const wait = shard ? sweeps?.shardTimeoutS ?? DEFAULT_SHARD_TIMEOUT_S : 0;
    const res = await runNotebook(nb, {
      profile, params, outDir, figuresRoot, sweeps, dataDir,
      cellTimeout: cellTimeout ?? (shard ? notebookCellTimeout(readNotebook(nb), name) + wait : undefined),
      notebookTimeout: notebookTimeout ?? (shard ? DEFAULT_NOTEBOOK_TIMEOUT_S + wait : undefined),
      onProgress: values.quiet ? undefined : (line) => process.stderr.write(`  ${line}\n`),
    });
    process.stderr.write(`✔ ${name}: ${res.seconds.toFixed(1)} s → ${res.output}\n`);
    if (values['update-expected']) process.stderr.write(`  expected values: ${updateExpected(join(figuresRootFor(profile), name, 'results.json'))}\n`);
    if (formats.length > 0) {
      const ex = await exportNotebook(res.output, formats, exportLocations(profile, values.out).exportDir);
      process.stderr.write(`  exported: ${Object.values(ex).filter(Boolean).join(', ')}\n`);
    }
  }
  return 0;
}

/** --shard / --shard-timeout / --from-cache / --shards as the runner's sweep options (undefined: a plain run). */
function sweepFlags(values: { shard?: string; 'shard-timeout'?: string; 'from-cache'?: boolean; shards?: string }): SweepRunOptions | undefined {
  const shard: Shard | undefined = values.shard !== undefined ? parseShard(values.shard, '--shard') : undefined;
  const shards = values.shards !== undefined ? parseShardCount(values.shards, '--shards') : undefined;
  const timeout = seconds('--shard-timeout', values['shard-timeout']);
  if (shard && values['from-cache']) throw new UsageError('--shard trains a share of the sweeps and --from-cache trains nothing: use one of them');
  if (shards !== undefined && !values['from-cache']) throw new UsageError('--shards n names owner shards for --from-cache (a shard itself takes --shard i/n)');
  if (timeout !== undefined && !shard) throw new UsageError('--shard-timeout is how long a --shard run waits for the other shards: use it with --shard i/n');
  if (shard) return { mode: 'train', shard, shardTimeoutS: timeout };
  if (values['from-cache']) return { mode: 'from-cache', shards };
  return undefined;
}

async function cmdPlan(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { profile: { type: 'string' }, param: { type: 'string', multiple: true }, shards: { type: 'string' }, json: { type: 'boolean' } },
  });
  const profile = profileOf(values.profile);
  const shards = values.shards !== undefined ? parseShardCount(values.shards, '--shards') : undefined;
  const params: Record<string, ParamValue> = {};
  for (const p of values.param ?? []) {
    const [k, v] = parseParam(p);
    params[k] = v;
  }
  const notebooks = notebooksOf(positionals);
  for (const nb of notebooks) {
    const parsed = readNotebook(nb);
    validateParameters(basename(nb, '.ipynb'), parsed, { ...parsed.metadata.workbook?.profiles?.[profile], ...params });
  }
  const plans = [];
  for (const nb of notebooks) {
    const name = basename(nb, '.ipynb');
    if (readNotebook(nb).metadata.workbook?.sweeps !== true) {
      if (!values.json) console.log(`${name}: no sweep (metadata.workbook.sweeps): nothing to plan or shard
`);
      plans.push({ notebook: name, profile, shards: shards ?? null, sweeps: [], complete: true });
      continue;
    }
    process.stderr.write(`▶ planning ${name} (profile ${profile}): executing the notebook in plan mode, nothing is trained
`);
    const plan = await planNotebook(nb, { profile, shards, params });
    plans.push(plan);
    if (!values.json) console.log(`${formatPlan(plan)}
`);
  }
  if (values.json) console.log(JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2));
  return 0;
}

async function cmdExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      profile: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, paper: { type: 'string' },
      'no-input': { type: 'boolean' },
    },
  });
  const profile = profileOf(values.profile);
  const formats = formatsOf(values.to, ['html']);
  const { executedDir, exportDir: outDir } = exportLocations(profile, values.out);
  const opts = { paper: (values.paper ?? 'a4') as PaperSize, noInput: values['no-input'] === true };
  const names = positionals.length > 0 ? positionals : listNotebooks().map((p) => basename(p, '.ipynb'));
  for (const n of names) {
    // Export the executed copy when there is one (outputs are the point); a path is taken as given.
    const executed = join(executedDir, `${basename(n, '.ipynb')}.ipynb`);
    const src = n.endsWith('.ipynb') && existsSync(n) ? resolve(n) : executed;
    const out = values.out ? ` --out ${values.out}` : '';
    const runCmd = `workbook run ${basename(n, '.ipynb')} --profile ${profile}${out}`;
    if (!existsSync(src)) throw new Error(`no executed notebook at ${src}: run \`${runCmd}\` first`);
    const ex = await exportNotebook(src, formats, outDir, opts);
    process.stderr.write(`✔ ${basename(src)} → ${Object.values(ex).filter(Boolean).join(', ')}\n`);
  }
  return 0;
}

async function cmdDoctor(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { fix: { type: 'boolean' } } });
  let checks = await runChecks();
  console.log(formatChecks(checks));
  if (values.fix && checks.some((c) => !c.ok)) {
    await fixProblems(checks);
    checks = await runChecks();
    console.log('\nafter --fix:\n' + formatChecks(checks));
  }
  return checks.some((c) => c.required && !c.ok) ? 1 : 0;
}

function cmdClean(argv: string[], checkOnly: boolean): number {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  let dirty = 0;
  for (const nb of notebooksOf(positionals)) {
    const parsed = readNotebook(nb);
    if (!hasOutputs(parsed)) continue;
    dirty++;
    if (checkOnly) console.error(`${nb} has outputs: run \`npx workbook clean\` before committing`);
    else writeNotebook(nb, clearOutputs(parsed));
  }
  return checkOnly && dirty > 0 ? 1 : 0;
}

function cmdStatus(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { write: { type: 'boolean' }, check: { type: 'boolean' } } });
  if (values.write && values.check) throw new UsageError('status takes --write or --check, not both');
  const { table, changed } = updateReadmeStatus({ write: values.write === true });
  console.log(table);
  if (values.write) console.log(changed ? '\nREADME.md: status table updated' : '\nREADME.md: status table already up to date');
  if (values.check && changed) {
    console.error('✘ README.md\'s status table differs from figures/*/results.json: run `npx workbook status --write`');
    return 1;
  }
  return 0;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const [cmd, ...rest] = argv;
  // Commands with a help of their own (cache: its subcommands; notebook/lab: their options) answer --help themselves.
  const ownHelp = ['cache', 'notebook', 'lab'];
  if (cmd !== undefined && !ownHelp.includes(cmd) && (rest.includes('--help') || rest.includes('-h'))) {
    const help = commandHelp(USAGE, cmd);
    if (help !== null) {
      console.log(help);
      return 0;
    }
  }
  try {
    switch (cmd) {
      case 'run': return await cmdRun(rest);
      case 'plan': return await cmdPlan(rest);
      case 'export': return await cmdExport(rest);
      case 'doctor': return await cmdDoctor(rest);
      case 'notebook': case 'lab': return await cmdNotebook(cmd, rest);
      case 'clean': return cmdClean(rest, false);
      case 'check-clean': return cmdClean(rest, true);
      case 'status': return cmdStatus(rest);
      case 'cache': return cacheCommand(rest);
      case undefined: case '-h': case '--help': case 'help':
        console.log(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    }
  } catch (err) {
    if (err instanceof CellError) {
      console.error(`✘ ${err.message}`);
      return 1;
    }
    const e = err as Error & { code?: string };
    const usage = err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS') === true;
    console.error(`✘ ${e.message}${usage ? `\n\n${USAGE}` : ''}`);
    // Bad arguments (usage, or a RangeError naming the argument) exit 2; failures exit 1.
    return usage || err instanceof RangeError ? 2 : 1;
  }
}
