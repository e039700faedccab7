export { startRun, PaperRun, type RunConfig, type ResultsFile } from './session.js';
export {
  valuePart, differencePart, identityPart, paperClaim, identityCheck, combineVerdicts, tallyClaims, claimsMarkdown, markdownCell,
  type Claim, type ClaimPart, type ClaimKind, type ClaimVerdict, type IdentityVerdict, type Verdict, type ClaimHeader, type ClaimInput,
  type ValuePart, type DifferencePart, type IdentityPart, type ClaimTally,
} from './verdict.js';
export { progress, stageProgress, type Progress, type ProgressOptions, type StepReport } from './progress.js';
export { runNotebook, resolveNotebook, listNotebooks, figuresRootFor, parametersFor, CellError, PROFILES, type Profile, type RunOptions, type RunResult } from './runner.js';
export {
  exportNotebook, exportHtml, exportLocations, htmlToPdf, screenshot, EXPORT_FORMATS, PAPER_SIZES, type ExportFormat,
  type ExportOptions, type PaperSize,
} from './export.js';
export { trustNotebooks, isTrusted } from './trust.js';
export { runChecks, formatChecks, fixProblems, aptPackages, type Check } from './doctor.js';
export {
  readNotebook, writeNotebook, injectParameters, clearOutputs, hasOutputs, parseParam, validateParameters, declaredParameters,
  type Notebook, type NotebookCell, type ParamValue,
} from './notebook.js';
export { collectProvenance, gitState, packageVersions, type Provenance } from './provenance.js';
export { findJupyterPython, ensureKernelspec, findChromium, KERNEL_NAME } from './toolchain.js';
export { main as cli } from './cli.js';
export { paperStatus, statusMarkdown, replaceStatusBlock, readStatusBlock, updateReadmeStatus, STATUS_PAPERS, STATUS_BEGIN, STATUS_END, type PaperStatus } from './status.js';
export { cacheCommand, formatCacheTable, CACHE_USAGE } from './cache-command.js';
export {
  listCacheEntries, removeCacheEntries, RESULT_CACHE_FOLDERS, type CacheEntry, type CacheKind, type CacheStatus,
  type ListCacheOptions,
} from '../nn/cache-index.js';
export {
  beginOutput, joinOutput, readLock, OutputLockedError, type OutputTransaction, type LockHolder,
} from './outputs.js';
