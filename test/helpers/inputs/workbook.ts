/**
 * Bad-input rows for semcom-workbook/workbook (see table.ts). Nothing here runs Jupyter or Chromium or installs
 * anything: calls that would are given a notebook or file that does not exist, and must refuse their bad argument
 * before they look for it.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { p, c, scratchDir, type EntryTable } from './table.js';

const NOWHERE = '/proc/nonexistent-inputs-table';
let dir: string | null = null;
const tmp = (): string => (dir ??= mkdtempSync(join(scratchDir(), 'inputs-table-workbook-')));
const est = (value = 0.5, lo = 0.4, hi = 0.6) => ({ value, ci95: [lo, hi], n: 100, method: 'test' });
const header = () => ({ id: 'c1', source: 'Fig. 1', statement: 's', unit: 'dB' });
const vpart = () => ({ label: 'a', paper: 0.55, ours: est() });
const claimOf = () => ({ ...header(),
  parts: [{ label: 'a', paper: 0.5, ours: 0.5, interval: [0.4, 0.6], verdict: 'reproduced', why: 'w' }], method: 'm',
  n: 10 });
const nb = () => ({
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [{ cell_type: 'code', id: 'p', metadata: { tags: ['parameters'] },
    source: 'const points = 8;\nconst name = "a";\n', outputs: [], execution_count: null }],
});
const NB: readonly unknown[] = ['12', 12, null, {}, { cells: 'x' }];
const claim = () => ({
  id: 'c1', kind: 'claim', source: 's', statement: 't', unit: 'u', paper: 1, ours: 1, interval: [0, 2],
    verdict: 'reproduced', why: 'w',
  method: 'm', n: 1, parts: [],
});
const check = () => ({ name: 'x', ok: true, required: false, detail: 'd' });
const README = '# r\n<!-- status:begin -->\nold\n<!-- status:end -->\n';
const status = () => ({
  paper: 'zepe', computed: true, claims: 1, reproduced: 1, partly: 0, notReproduced: 0, identityPassed: 0,
    identityTotal: 0,
  commit: 'abcdef0', dirty: false, profile: 'full',
});

export const table: EntryTable = {
  rows: {
    startRun: {
      args: () => [{ paper: 'inputs', profile: 'quick', outDir: tmp(), seed: 7 }],
      params: [p('config', '0', 'object', ['12', 12, null]), p('paper', '0.paper', 'string', [12, null, 'A/B']),
        p('outDir', '0.outDir', 'string', [12, null]),
        p('seed', '0.seed', 'integer', [NaN, Infinity, '7', 1.5, -1, 2 ** 32]),
          p('params', '0.params', 'object', ['12', 12])],
    },
    PaperRun: {
      construct: true,
      args: () => [{ paper: 'inputs', profile: 'quick', outDir: tmp(), seed: null }],
      params: [p('config', '0', 'object', ['12', 12, null]), p('paper', '0.paper', 'string', [12, null]),
        p('seed', '0.seed', 'integer', [NaN, '7', 2025.9, 2 ** 40])],
    },
    valuePart: {
      args: () => [{ ...vpart(), reference: 0.3 }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('label', '0.label', 'string', [12, null]),
        p('paper', '0.paper', 'real'),
        p('ours', '0.ours', 'object', ['12', 12, null, {}]), p('ours', '0.ours.value', 'real'),
          p('ours.ci95', '0.ours.ci95.1', 'real', [NaN, Infinity, '0.6', 0.3]),
        p('reference', '0.reference', 'real')],
    },
    differencePart: {
      args: () => [{ label: 'd', diff: est(0.2, 0.1, 0.3), direction: 'greater', paper: 0.25 }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('label', '0.label', 'string', [12, null]),
        p('diff', '0.diff', 'object', ['12', 12, null]),
        p('diff', '0.diff.value', 'real'), p('direction', '0.direction', 'string', ['up', 12]),
          p('paper', '0.paper', 'real', [NaN, Infinity, '0.2', -0.2])],
    },
    identityPart: {
      args: () => [{ label: 'i', expected: 1, got: 1 + 1e-12, tolerance: 1e-9 }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('label', '0.label', 'string', [12, null]),
        p('expected', '0.expected', 'real'),
        p('got', '0.got', 'real'), p('tolerance', '0.tolerance', 'nonNegative')],
    },
    combineVerdicts: {
      args: () => [['reproduced', 'partly']],
      params: [p('verdicts', '0', 'object', ['12', 12, null, []]),
        p('verdicts[0]', '0.0', 'string', ['great', 12, null])],
      cases: [c('identity checks mixed with claims', 'a claim cannot mix', () => [['passed', 'reproduced']])],
    },
    paperClaim: {
      args: () => [claimOf()],
      params: [p('claim', '0', 'object', ['12', 12, null]), p('id', '0.id', 'string', [12, null, 'Not Kebab']),
        p('parts', '0.parts', 'object', ['12', 12, []]),
        p('method', '0.method', 'string', [12, '']), p('n', '0.n', 'count', [NaN, Infinity, '10', 1.5, 0, -1])],
    },
    identityCheck: {
      args: () => [{ ...claimOf(),
        parts: [{ label: 'i', paper: 1, ours: 1, interval: [0.9, 1.1], verdict: 'passed', why: 'w' }] }],
      params: [p('claim', '0', 'object', ['12', 12, null]), p('n', '0.n', 'count', [NaN, Infinity, '10', 1.5, 0, -1])],
      cases: [c('claim parts in an identity check', 'identity checks take identityPart parts', () => [claimOf()])],
    },
    tallyClaims: {
      args: () => [[claim()]],
      params: [p('claims', '0', 'object', ['12', 12, null]), p('claims[0]', '0.0', 'object', ['12', 12, null, {}])],
    },
    claimsMarkdown: {
      args: () => [[claim()]],
      params: [p('claims', '0', 'object', ['12', 12, null]), p('claims[0]', '0.0', 'object', ['12', 12, null, {}]),
        p('claims[0].interval', '0.0.interval', 'object', ['12', null, [NaN, 1]])],
    },
    markdownCell: { args: () => ['a|b'], params: [p('s', '0', 'string')] },
    progress: {
      args: () => [10, 'p', { throttleMs: 100, stream: process.stderr }],
      params: [p('total', '0', 'integer', [NaN, Infinity, '10', 1.5, -1]), p('label', '1', 'string', [12, null]),
        p('options', '2', 'object', ['12', 12, null]),
        p('throttleMs', '2.throttleMs', 'nonNegative'), p('stream', '2.stream', 'object', ['12', 12, null])],
    },
    stageProgress: {
      args: () => ['s', { throttleMs: 100 }],
      params: [p('label', '0', 'string', [12, null]), p('options', '1', 'object', ['12', 12, null]),
        p('throttleMs', '1.throttleMs', 'nonNegative')],
    },
    runNotebook: {
      skipValid: 'runs Jupyter (test/notebooks/runner.test.ts)',
      args: () => [`${NOWHERE}/x.ipynb`, { profile: 'quick', cellTimeout: 10, notebookTimeout: 20 }],
      params: [p('path', '0', 'string', [12, null]), p('options', '1', 'object', ['12', 12, null, undefined]),
        p('profile', '1.profile', 'string', ['slow', 12]),
        p('cellTimeout', '1.cellTimeout', 'positive', [NaN, Infinity, '10', 0, -1, 1e12]),
        p('notebookTimeout', '1.notebookTimeout', 'positive', [NaN, Infinity, '20', 0, -1, 1e12]),
          p('params', '1.params', 'object', ['12', 12]),
        p('onProgress', '1.onProgress', 'function')],
    },
    resolveNotebook: { args: () => ['zepe'], params: [p('notebook', '0', 'string', [12, null, 'no-such-notebook'])] },
    figuresRootFor: { args: () => ['quick'], params: [p('profile', '0', 'string', ['slow', 12, null])] },
    parametersFor: {
      args: () => [nb(), join(tmp(), 'x.ipynb'), 'quick', { points: 4 }],
      params: [p('nb', '0', 'object', NB), p('path', '1', 'string', [12, null]),
        p('profile', '2', 'string', ['slow', 12]), p('params', '3', 'object', ['12', 12])],
    },
    exportNotebook: {
      skipValid: 'runs nbconvert and Chromium (test/notebooks/export-sanitize.test.ts)',
      args: () => [`${NOWHERE}/x.ipynb`, ['html'], join(tmp(), 'export')],
      params: [p('notebook', '0', 'string', [12, null]), p('formats', '1', 'object', ['12', 12, null, ['docx']]),
        p('outDir', '2', 'string', [12, null])],
    },
    exportHtml: {
      skipValid: 'runs nbconvert (test/notebooks/export-sanitize.test.ts)',
      args: () => [`${NOWHERE}/x.ipynb`, join(tmp(), 'export')],
      params: [p('notebook', '0', 'string', [12, null]), p('outDir', '1', 'string', [12, null])],
    },
    htmlToPdf: {
      skipValid: 'runs Chromium (test/notebooks/export-sanitize.test.ts)',
      args: () => [`${NOWHERE}/x.html`, join(tmp(), 'x.pdf')],
      params: [p('html', '0', 'string', [12, null]), p('pdf', '1', 'string', [12, null])],
    },
    screenshot: {
      skipValid: 'runs Chromium (test/notebooks browser checks)',
      args: () => [`${NOWHERE}/x.html`, join(tmp(), 'x.png'), '800,600'],
      params: [p('html', '0', 'string', [12, null]), p('png', '1', 'string', [12, null]),
        p('size', '2', 'string', [12, 'NaN,600', '800', '-1,600', '1e12,600'])],
    },
    formatChecks: {
      args: () => [[check()]],
      params: [p('checks', '0', 'object', ['12', 12, null]), p('checks[0]', '0.0', 'object', ['12', 12, null])],
    },
    fixProblems: {
      args: () => [[check()], () => undefined],
      params: [p('checks', '0', 'object', ['12', 12, null]), p('checks[0]', '0.0', 'object', ['12', 12, null]),
        p('log', '1', 'function')],
    },
    readNotebook: {
      skipValid: 'test/unit/workbook-notebook.test.ts reads notebooks',
      args: () => [`${NOWHERE}/x.ipynb`], params: [p('path', '0', 'string', [12, null])],
    },
    writeNotebook: {
      args: () => [join(tmp(), 'w.ipynb'), nb()],
      params: [p('path', '0', 'string', [12, null]), p('nb', '1', 'object', NB)],
    },
    injectParameters: {
      args: () => [nb(), { points: 4 }, 'quick'],
      params: [p('nb', '0', 'object', NB), p('params', '1', 'object', ['12', 12, null]),
        p('params.points', '1.points', 'real', [NaN]),
        p('profile', '2', 'string', [12, null])],
    },
    clearOutputs: { args: () => [nb()], params: [p('nb', '0', 'object', NB)] },
    hasOutputs: { args: () => [nb()], params: [p('nb', '0', 'object', NB)] },
    parseParam: { args: () => ['points=8'], params: [p('--param', '0', 'string', [12, null, 'points', '=8', '1x=2'])] },
    validateParameters: {
      args: () => ['n', nb(), { points: 4 }],
      params: [p('nbName', '0', 'string', [12, null]), p('nb', '1', 'object', NB),
        p('params', '2', 'object', ['12', 12, null]),
        p('parameter "points"', '2.points', 'real', [NaN, Infinity, '4'])],
      cases: [c('an unknown parameter', 'unknown parameter', () => ['n', nb(), { pts: 4 }])],
    },
    declaredParameters: { args: () => [nb()], params: [p('nb', '0', 'object', NB)] },
    collectProvenance: {
      args: () => [{ profile: 'quick', parameters: {}, seed: 1, backend: 'cpu' }],
      params: [p('p', '0', 'object', ['12', 12, null]),
        p('seed', '0.seed', 'integer', [NaN, Infinity, '1', 1.5, -1, 2 ** 32]),
        p('profile', '0.profile', 'string', [12, null]), p('parameters', '0.parameters', 'object', ['12', 12, null]),
          p('backend', '0.backend', 'string', [12, null])],
    },
    paperStatus: {
      args: () => ['zepe', tmp()],
      params: [p('paper', '0', 'string', [12, null, '../x']), p('figuresRoot', '1', 'string', [12, null])],
    },
    statusMarkdown: {
      args: () => [[status()]],
      params: [p('statuses', '0', 'object', ['12', 12, null]), p('statuses[0]', '0.0', 'object', ['12', 12, null]),
        p('statuses[0].claims', '0.0.claims', 'count', [NaN, Infinity, '1', 1.5, -1])],
    },
    replaceStatusBlock: {
      args: () => [README, '| t |'],
      params: [p('readme', '0', 'string', [12, null, 'no markers']), p('table', '1', 'string', [12, null])],
    },
    readStatusBlock: { args: () => [README], params: [p('readme', '0', 'string', [12, null, 'no markers'])] },
    updateReadmeStatus: {
      args: () => [{ write: false, root: tmp() }],
      skipValid: 'reads README.md under root (test/unit/workbook-status.test.ts)',
      params: [p('options', '0', 'object', ['12', 12, null, undefined]),
        p('write', '0.write', 'string', ['yes', 1, undefined]),
        p('root', '0.root', 'string', [12, null])],
    },
    OutputLockedError: {
      construct: true,
      args: () => ['/tmp/x', '/tmp/.x.lock', { pid: 1, startTicks: null, since: 'now', command: 'c', staging: '/s' }],
      params: [p('folder', '0', 'string', [12, null]), p('holder', '2', 'object', ['12', 12, null, {}]),
        p('holder', '2.pid', 'integer', [NaN, Infinity, '1', 1.5])],
    },
    beginOutput: {
      args: () => [join(tmp(), 'out'), 'inputs', { notify: () => undefined }],
      params: [p('root', '0', 'string', [12, null, '']), p('paper', '1', 'string', [12, null, '../x']),
        p('options', '2', 'object', ['12', 12, null]), p('notify', '2.notify', 'function')],
    },
    joinOutput: {
      args: () => [join(tmp(), 'out'), 'inputs', process.pid],
      params: [p('root', '0', 'string', [12, null, '']), p('paper', '1', 'string', [12, '../x']),
        p('ownerPid', '2', 'count', [NaN, Infinity, '1', 1.5, 0, -1, 1e12])],
    },
    readLock: {
      args: () => [join(tmp(), 'out'), 'inputs'],
      params: [p('root', '0', 'string', [12, null, '']), p('paper', '1', 'string', [12, '../x'])],
    },
    listCacheEntries: {
      args: () => [{ root: join(tmp(), 'cache'), papers: ['zepe'] }],
      params: [p('options', '0', 'object', ['12', 12, null]), p('root', '0.root', 'string', [12, null]),
        p('papers', '0.papers', 'object', ['12', 12]), p('papers[0]', '0.papers.0', 'string', [12, null])],
    },
    removeCacheEntries: {
      args: () => [[], join(tmp(), 'cache')],
      params: [p('entries', '0', 'object', ['12', 12, null, [12]]), p('root', '1', 'string', [12, null])],
    },
    formatCacheTable: {
      args: () => [[{
        paper: 'zepe', kind: 'model', path: join(tmp(), 'cache', 'm'), configHash: 'abc', code: null, module: null,
        status: 'current', reason: '', bytes: 2048, modified: '2026-01-01T00:00:00Z',
      }], join(tmp(), 'cache')],
      params: [p('entries', '0', 'object', ['12', 12, null, [12]]), p('entries[0].bytes', '0.0.bytes', 'nonNegative'),
        p('root', '1', 'string', [12, null])],
    },
    exportLocations: {
      args: () => ['quick', tmp()],
      params: [p('profile', '0', 'string', ['slow', 12, null]), p('out', '1', 'string', [12, null])],
    },
    trustNotebooks: {
      skipValid: 'signs notebooks with Jupyter (test/notebooks)',
      args: () => [[`${NOWHERE}/x.ipynb`]], params: [p('paths', '0', 'object', ['12', 12, null, [12]])],
    },
    isTrusted: {
      skipValid: 'asks Jupyter (test/notebooks)',
      args: () => [`${NOWHERE}/x.ipynb`], params: [p('path', '0', 'string', [12, null])],
    },
    CellError: {
      construct: true,
      args: () => ['nb', 3, 'x = 1', 'boom'],
      params: [p('notebook', '0', 'string', [12, null]), p('cellNumber', '1', 'integer', [NaN, Infinity, '3', 1.5, -1]),
        p('source', '2', 'string', [12, null]), p('detail', '3', 'string', [12, null])],
    },
  },
  noNumericInput: {
    cacheCommand: 'argv strings of `workbook cache`, parsed and checked by the command itself (nn-code-version test)',
    cli: 'argv strings, parsed and checked by the CLI itself (test/notebooks/cli-hardening.test.ts)',
    listNotebooks: 'takes no arguments',
    runChecks: 'takes no arguments (doctor)',
    aptPackages: 'takes no arguments',
    gitState: 'takes no arguments',
    packageVersions: 'takes no arguments',
    findJupyterPython: 'takes no arguments',
    ensureKernelspec: 'takes no arguments',
    findChromium: 'takes no arguments',
  },
  constants: [
    'EXPORT_FORMATS', 'KERNEL_NAME', 'PROFILES', 'STATUS_BEGIN', 'STATUS_END', 'STATUS_PAPERS', 'CACHE_USAGE',
    'PAPER_SIZES', 'RESULT_CACHE_FOLDERS',
  ],
};
