/**
 * Headless Chromium driven through the DevTools protocol (CDP) over a pipe: Chromium's `--remote-debugging-pipe`
 * reads commands on file descriptor 3 and writes replies and events on descriptor 4, each message one JSON text
 * ended by a NUL byte (the transport Puppeteer calls "pipe"). No WebSocket client or extra npm package is needed.
 *
 * Used to print a page only once its math is typeset (Page.printToPDF after MathJax's startup promise), to measure
 * the printed layout, and by the tests to drive pages (the exported HTML, the classic Notebook UI).
 * Protocol reference: https://chromedevtools.github.io/devtools-protocol/ (Target, Page, Runtime, Emulation).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { CHROMIUM_FIX, findChromium } from './toolchain.js';

export interface BrowserOptions {
  /** 'none' (default): every request outside the page fails; 'loopback': 127.0.0.1 is reachable (a local server). */
  network?: 'none' | 'loopback';
  /** Milliseconds one protocol command may take (default 60 s). */
  commandTimeoutMs?: number;
}

type Json = Record<string, unknown>;
interface Message {
  id?: number; method?: string; params?: Json; result?: Json; error?: { message: string }; sessionId?: string;
}
type Listener = (params: Json) => void;
interface Pending { resolve: (r: Json) => void; reject: (e: Error) => void; method: string }

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Flags for headless Chromium showing an untrusted page: quiet on a machine without network (see PLATFORM.md), and
 * restricted as far as flags allow: no network (every host name unresolvable, every request sent to a dead proxy),
 * no extensions, no new windows, no file access from file pages (Chromium's default, never overridden here).
 * The sandbox is kept unless Chromium cannot use it (as root it refuses to start with one).
 */
export function chromiumFlags(userDataDir: string, sandbox = !isRoot()): string[] {
  return [
    '--headless', ...(sandbox ? [] : ['--no-sandbox']), '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    '--hide-scrollbars', `--user-data-dir=${userDataDir}`, '--disable-extensions', '--disable-plugins',
    '--block-new-web-contents', '--disable-remote-fonts', '--deny-permission-prompts',
    '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
    '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication',
  ];
}

export function requireChromium(): string {
  const chromium = findChromium();
  if (!chromium) {
    throw new Error(`Chromium was not found (needed for PDF export and the browser check). Fix: ${CHROMIUM_FIX}`);
  }
  return chromium;
}

/** Run headless Chromium once (command-line mode: --screenshot, --dump-dom...) with a throw-away profile. */
export async function runChromium(args: string[], timeoutMs = 120_000): Promise<void> {
  const chromium = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'workbook-chromium-'));
  try {
    let res = await execa(chromium, [...chromiumFlags(profile), ...args], { reject: false, timeout: timeoutMs });
    // A container without user namespaces cannot give Chromium its sandbox: then (only then) run without it.
    if (res.exitCode !== 0 && !isRoot() && /sandbox/i.test(String(res.stderr))) {
      res = await execa(chromium, [...chromiumFlags(profile, false), ...args], { reject: false, timeout: timeoutMs });
    }
    if (res.exitCode !== 0) {
      throw new Error(`chromium ${args.join(' ')} failed (exit ${res.exitCode}): ${String(res.stderr).slice(-1500)}`);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private stderr = '';
  private closed = false;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly input: Writable,
    output: Readable,
    private readonly profileDir: string,
    private readonly commandTimeoutMs: number,
  ) {
    let buffer = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\0')) >= 0) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        this.dispatch(JSON.parse(text) as Message);
      }
    });
    proc.stderr?.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString()).slice(-4000); });
    proc.on('exit', (code) => {
      this.closed = true;
      for (const [, p] of this.pending) {
        p.reject(new Error(`Chromium exited (code ${code}) during ${p.method}: ${this.stderr.slice(-1500)}`));
      }
      this.pending.clear();
    });
  }

  /** Start headless Chromium with a throw-away profile and the restrictive flags of `chromiumFlags`. */
  static async launch(opts: BrowserOptions = {}): Promise<Browser> {
    try {
      return await Browser.start(opts, !isRoot());
    } catch (err) {
      // A container without user namespaces cannot give Chromium its sandbox: then (only then) run without it.
      if (isRoot() || !/sandbox/i.test((err as Error).message)) throw err;
      return Browser.start(opts, false);
    }
  }

  private static async start(opts: BrowserOptions, sandbox: boolean): Promise<Browser> {
    const chromium = requireChromium();
    const profileDir = mkdtempSync(join(tmpdir(), 'workbook-cdp-'));
    let flags = chromiumFlags(profileDir, sandbox);
    // A local server is reached directly: 127.0.0.1 is left out of the resolver's NOTFOUND rule, and loopback
    // requests are not sent to the dead proxy. Every other host stays unreachable.
    if (opts.network === 'loopback') {
      flags = flags
        .filter((f) => f !== '--proxy-bypass-list=<-loopback>')
        .map((f) => (f.startsWith('--host-resolver-rules=') ? `${f}, EXCLUDE 127.0.0.1` : f));
    }
    const proc = spawn(chromium, [...flags, '--remote-debugging-pipe', 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const [input, output] = [proc.stdio[3] as Writable, proc.stdio[4] as Readable];
    const browser = new Browser(proc, input, output, profileDir, opts.commandTimeoutMs ?? 60_000);
    try {
      await browser.send('Browser.getVersion');
    } catch (err) {
      await browser.close();
      throw err;
    }
    return browser;
  }

  private dispatch(msg: Message): void {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (!msg.method) return;
    for (const l of [...(this.listeners.get(`${msg.sessionId ?? ''}:${msg.method}`) ?? [])]) l(msg.params ?? {});
  }

  /** Call listener on every `method` event of a session (sessionId '' for the browser); returns the unsubscriber. */
  on(method: string, sessionId: string, listener: Listener): () => void {
    const key = `${sessionId}:${method}`;
    const set = this.listeners.get(key) ?? new Set<Listener>();
    this.listeners.set(key, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Send one protocol command (to a page when sessionId is given) and resolve to its result. */
  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    if (this.closed) {
      return Promise.reject(new Error(`Chromium is not running (${method}): ${this.stderr.slice(-1500)}`));
    }
    const id = this.nextId++;
    return new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply from Chromium within ${this.commandTimeoutMs} ms`));
      }, this.commandTimeoutMs);
      this.pending.set(id, {
        method,
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  /** Resolve with the parameters of the next `method` event of a session; reject after timeoutMs. */
  waitForEvent(method: string, sessionId: string, timeoutMs: number): Promise<Json> {
    return new Promise<Json>((resolve, reject) => {
      const off = this.on(method, sessionId, (params) => { clearTimeout(timer); off(); resolve(params); });
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${method} did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** A new tab, attached in flat mode (commands carry its sessionId). */
  async newPage(): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const attached = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const { sessionId } = attached as { sessionId: string };
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    return page;
  }

  async close(): Promise<void> {
    if (!this.closed) {
      const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
      this.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

/** Paper sizes in inches (CDP's unit for printToPDF). */
export const PAPER_INCHES = { a4: { width: 8.27, height: 11.69 }, letter: { width: 8.5, height: 11 } } as const;
export type PaperSize = keyof typeof PAPER_INCHES;
/** Page margin of the printed PDF, inches (all four sides). */
export const PRINT_MARGIN_INCHES = 0.5;

/** Chromium fills the spans of the footer template with the page's number and the count. */
const PAGE_NUMBER_FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#666">'
  + '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';

export class Page {
  /** Console messages and uncaught exceptions of the page, for error reports. */
  readonly log: string[] = [];

  constructor(private readonly browser: Browser, readonly sessionId: string) {
    const note = (kind: string) => (p: Json) => this.log.push(`${kind}: ${JSON.stringify(p).slice(0, 300)}`);
    browser.on('Runtime.exceptionThrown', sessionId, note('exception'));
    browser.on('Runtime.consoleAPICalled', sessionId, note('console'));
  }

  send(method: string, params: Json = {}): Promise<Json> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Navigate and wait for the load event. */
  async goto(url: string, timeoutMs = 60_000): Promise<void> {
    const loaded = this.browser.waitForEvent('Page.loadEventFired', this.sessionId, timeoutMs);
    loaded.catch(() => undefined); // awaited below unless the navigation itself fails
    const nav = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (nav.errorText) throw new Error(`cannot open ${url}: ${nav.errorText}`);
    await loaded;
  }

  /** Evaluate an expression in the page (promises are awaited) and return its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    const ex = r.exceptionDetails;
    if (ex) throw new Error(`in the page: ${ex.exception?.description ?? ex.text}`);
    return r.result.value as T;
  }

  /** Poll `expression` until it is truthy; return its value. */
  async waitFor<T>(expression: string, timeoutMs: number, what = expression): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.evaluate<T>(expression);
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Lay the page out as it will be printed on `paper`: print media, viewport = the printable width. */
  async emulatePrint(paper: PaperSize): Promise<number> {
    const width = Math.floor((PAPER_INCHES[paper].width - 2 * PRINT_MARGIN_INCHES) * 96);
    await this.send('Emulation.setEmulatedMedia', { media: 'print' });
    await this.setViewport(width, 1200);
    return width;
  }

  async pdf(paper: PaperSize): Promise<Buffer> {
    const size = PAPER_INCHES[paper];
    const m = PRINT_MARGIN_INCHES;
    const { data } = (await this.send('Page.printToPDF', {
      paperWidth: size.width, paperHeight: size.height, marginTop: m, marginBottom: m, marginLeft: m, marginRight: m,
      printBackground: true, preferCSSPageSize: false, displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: PAGE_NUMBER_FOOTER,
    })) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** The viewport in CSS pixels (device scale 1). */
  async setViewport(width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  /** A PNG of the viewport, resized to width × height first. */
  async screenshot(width: number, height: number): Promise<Buffer> {
    await this.setViewport(width, height);
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(data, 'base64');
  }
}

/** Launch, hand a fresh page to fn, and always close the browser. */
export async function withBrowserPage<T>(opts: BrowserOptions, fn: (page: Page) => Promise<T>): Promise<T> {
  const browser = await Browser.launch(opts);
  try {
    return await fn(await browser.newPage());
  } finally {
    await browser.close();
  }
}
