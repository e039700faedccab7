/**
 * Progress for long loops. In a notebook: one output updated in place (throttled), so output stays small.
 * On a terminal: a bar on stderr. Elsewhere (CI logs, tests): a line every 10%.
 */
import { randomBytes } from 'node:crypto';
import { assertFiniteNumber, assertObject, assertString } from '../core/index.js';
import { displayBundle, inNotebook } from '../plot/display.js';

export interface Progress {
  /** Advance by n steps (default 1), optionally with a status text (e.g. the current loss). */
  tick(n?: number, status?: string): void;
  /** Mark finished (also renders the final state). */
  done(status?: string): void;
  readonly count: number;
}

export interface ProgressOptions {
  /** Minimum milliseconds between redraws (default 250). */
  throttleMs?: number;
  /** Where terminal output goes (default process.stderr). */
  stream?: NodeJS.WriteStream;
}

function formatLine(label: string, count: number, total: number, started: number, status?: string): { text: string; frac: number } {
  const frac = total > 0 ? Math.min(1, count / total) : 1;
  const elapsed = (Date.now() - started) / 1000;
  const eta = frac > 0 && frac < 1 ? elapsed * (1 / frac - 1) : 0;
  const eTxt = frac < 1 ? `, eta ${eta.toFixed(0)} s` : '';
  return { text: `${label}: ${count}/${total} (${(frac * 100).toFixed(0)}%) ${elapsed.toFixed(1)} s${eTxt}${status ? ` — ${status}` : ''}`, frac };
}

/** The label and options of a progress display, checked. */
function checkProgressOptions(label: unknown, opts: unknown): void {
  assertString('label', label);
  assertObject('options', opts);
  const o = opts as ProgressOptions;
  if (o.throttleMs !== undefined) {
    assertFiniteNumber('throttleMs', o.throttleMs);
    if (o.throttleMs < 0) throw new RangeError(`throttleMs must be >= 0, got ${o.throttleMs}`);
  }
  const s = o.stream as unknown;
  const writable = s !== null && typeof s === 'object' && typeof (s as { write?: unknown }).write === 'function';
  if (s !== undefined && !writable) {
    throw new TypeError('stream must be a writable stream (e.g. process.stderr)');
  }
}

export function progress(total: number, label = 'progress', opts: ProgressOptions = {}): Progress {
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw new RangeError(`total must be an integer >= 0, got ${String(total)}`);
  }
  checkProgressOptions(label, opts);
  const started = Date.now();
  const throttle = opts.throttleMs ?? 250;
  const stream = opts.stream ?? process.stderr;
  const notebook = inNotebook();
  const id = randomBytes(8).toString('hex');
  let count = 0;
  let last = 0;
  let lastDecile = -1;
  let shown = false;

  const render = (status: string | undefined, final: boolean) => {
    const { text, frac } = formatLine(label, count, total, started, status);
    if (notebook) {
      const width = 30;
      const filled = Math.round(frac * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      displayBundle({ 'text/plain': `${bar} ${text}` }, id, shown);
      shown = true;
    } else if (stream.isTTY) {
      stream.write(`\r${text}`.padEnd(100) + (final ? '\n' : ''));
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile || final) {
        lastDecile = decile;
        stream.write(`${text}\n`);
      }
    }
  };

  return {
    get count() {
      return count;
    },
    tick(n = 1, status?: string) {
      count += n;
      const now = Date.now();
      if (now - last >= throttle || count >= total) {
        last = now;
        render(status, false);
      }
    },
    done(status?: string) {
      count = Math.max(count, total);
      render(status, true);
    },
  };
}

/** What a training loop reports (lib/nn's TrainProgress has this shape). */
export interface StepReport {
  readonly step: number;
  readonly total: number;
  readonly loss?: number;
}

/**
 * A callback for multi-stage work (`(stage, report?) => void`): one in-place progress display per stage, created
 * when the stage first reports, showing the step and the current loss.
 */
export function stageProgress(label: string, opts: ProgressOptions = {}): (stage: string, report?: StepReport) => void {
  checkProgressOptions(label, opts);
  let current: { stage: string; bar: Progress; total: number } | null = null;
  return (stage, report) => {
    if (!report) return;
    if (!current || current.stage !== stage || current.total !== report.total) {
      current?.bar.done();
      current = { stage, bar: progress(report.total, `${label}: ${stage}`, opts), total: report.total };
    }
    const status = report.loss === undefined ? undefined : `loss ${report.loss.toPrecision(4)}`;
    current.bar.tick(report.step - current.bar.count, status);
    if (report.step >= report.total) current.bar.done(status);
  };
}
