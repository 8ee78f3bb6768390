import { existsSync } from 'node:fs';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import type { Logger } from '../../platform/log.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { Slots } from './slots.ts';

/** Debian's Chromium (playwright-core ships no browser); `/usr/bin/chromium` is a shell wrapper. */
const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/**
 * Headless, no sandbox (Orchard's own sandbox wraps it), and no calls home. WebRTC may not send UDP
 * that does not go through the context's proxy (that is: none): a page's STUN or TURN server at any
 * address would otherwise be sent datagrams no URL guard sees.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/**
 * Playwright's own signal handlers are off: on a Ctrl-C with a browser open they kill it and exit the
 * whole process with code 130 before Orchard has stopped. Orchard closes its browsers in its own shutdown.
 */
export const PLAYWRIGHT_LEAVES_SIGNALS = {
  handleSIGINT: false,
  handleSIGTERM: false,
  handleSIGHUP: false,
} as const;

export interface BrowserPoolOptions {
  chromiumPath?: string;
  /** A browser serves this many tasks, then is replaced (its memory grows with use). */
  recycleAfter: number;
  /** Contexts open at once; on 2 cores, parallel contexts are no faster than sequential ones. */
  maxConcurrency: number;
  launchTimeoutMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface BrowserTask {
  /** Options for the task's fresh context (HAR recording, proxy, viewport…). */
  context?: BrowserContextOptions;
  /** Aborting closes the task's context, which fails whatever the task is doing. */
  signal?: AbortSignal;
}

interface Handle {
  browser: Browser;
  served: number;
  active: number;
  retired: boolean;
}

const CONTEXT_CLOSE_MS = 15_000;

/** Resolves false when the context has not closed within `ms` (HAR writing included). */
async function closeWithin(context: BrowserContext, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([context.close().then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The machine's Chromium, or a clear error saying how to get one. */
export function findChromium(configured?: string): string {
  if (configured) {
    if (!existsSync(configured)) throw new Error(`automation.chromiumPath ${configured} does not exist`);
    return configured;
  }
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found at ${CHROMIUM_PATHS.join(' or ')}: install it (apt-get install chromium) or set ORCHARD_CHROMIUM_PATH`,
    );
  }
  return found;
}

/**
 * One browser per worker process, launched on first use; a fresh context (own cookies and storage)
 * per task; the browser is replaced after `recycleAfter` tasks or when it dies.
 */
export class BrowserPool {
  private current: Handle | undefined;
  private launching: Promise<Handle> | undefined;
  private readonly slots: Slots;
  private readonly retiring = new Set<Handle>();
  private closed = false;
  private launches = 0;
  private tasks = 0;

  constructor(private readonly options: BrowserPoolOptions) {
    if (options.recycleAfter < 1) throw new Error('recycleAfter must be at least 1');
    this.slots = new Slots(options.maxConcurrency);
  }

  /** Runs `fn` in a fresh context; the context is closed afterwards whatever happens. */
  async withContext<T>(task: BrowserTask, fn: (context: BrowserContext) => Promise<T>): Promise<T> {
    const release = await this.slots.acquire(task.signal);
    try {
      task.signal?.throwIfAborted();
      const { handle, context } = await this.openContext(task.context ?? {});
      const abort = () =>
        void context.close({ reason: 'The browser task was cancelled' }).catch(() => undefined);
      task.signal?.addEventListener('abort', abort, { once: true });
      if (task.signal?.aborted) abort();
      try {
        // Cancelled while the context opened: the task does not start (a page opened in a context
        // that is closing never resolves).
        task.signal?.throwIfAborted();
        return await fn(context);
      } catch (error) {
        // Whatever the closed context made fail, the caller wants to know it was cancelled.
        if (task.signal?.aborted) throw task.signal.reason;
        throw error;
      } finally {
        task.signal?.removeEventListener('abort', abort);
        const closed = await closeWithin(context, CONTEXT_CLOSE_MS).catch((error: Error) => {
          this.options.logger?.debug({ err: error }, 'closing a context failed');
          return true;
        });
        // A browser that cannot close a context in time is wedged: replace it.
        if (!closed) {
          this.options.logger?.warn('a browser context did not close in time; replacing the browser');
          if (this.current === handle) this.current = undefined;
          handle.retired = true;
        }
        handle.active--;
        if (handle.retired && handle.active === 0) await this.closeBrowser(handle);
      }
    } finally {
      release();
    }
  }

  /** Like withContext, with one page opened in the context. */
  withPage<T>(task: BrowserTask, fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    return this.withContext(task, async (context) => fn(await context.newPage(), context));
  }

  get stats() {
    return {
      launches: this.launches,
      tasks: this.tasks,
      active: this.current?.active ?? 0,
      queued: this.slots.waiting,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const launching = await this.launching?.catch(() => undefined);
    const handles = new Set([
      ...this.retiring,
      ...(this.current ? [this.current] : []),
      ...(launching ? [launching] : []),
    ]);
    this.current = undefined;
    await Promise.all([...handles].map((h) => this.closeBrowser(h)));
  }

  private async openContext(
    options: BrowserContextOptions,
  ): Promise<{ handle: Handle; context: BrowserContext }> {
    // A browser that died between the check and newContext gets one relaunch.
    for (let attempt = 1; ; attempt++) {
      const handle = await this.browser();
      handle.active++;
      handle.served++;
      try {
        const context = await handle.browser.newContext(options);
        this.tasks++;
        return { handle, context };
      } catch (error) {
        handle.active--;
        if (attempt >= 2 || handle.browser.isConnected()) throw error;
      }
    }
  }

  private async browser(): Promise<Handle> {
    if (this.closed) throw new Error('The browser pool is closed');
    const current = this.current;
    if (current?.browser.isConnected() && current.served < this.options.recycleAfter) return current;
    if (current) {
      this.current = undefined;
      this.retire(current);
    }
    this.launching ??= this.launch().finally(() => {
      this.launching = undefined;
    });
    return this.launching;
  }

  private async launch(): Promise<Handle> {
    const started = performance.now();
    const browser = await chromium.launch({
      executablePath: findChromium(this.options.chromiumPath),
      args: CHROMIUM_ARGS,
      timeout: this.options.launchTimeoutMs ?? 30_000,
      ...PLAYWRIGHT_LEAVES_SIGNALS,
    });
    this.launches++;
    const handle: Handle = { browser, served: 0, active: 0, retired: false };
    browser.on('disconnected', () => {
      if (this.current === handle) this.current = undefined;
      this.retiring.delete(handle);
      if (!handle.retired && !this.closed)
        this.options.logger?.warn('the browser exited; the next task launches a new one');
    });
    this.options.metrics
      ?.counter('orchard_browser_launches_total', 'Chromium launches by the browser pool')
      .inc();
    this.options.logger?.debug({ ms: Math.round(performance.now() - started) }, 'browser launched');
    if (this.closed) {
      await browser.close();
      throw new Error('The browser pool is closed');
    }
    this.current = handle;
    return handle;
  }

  private retire(handle: Handle) {
    handle.retired = true;
    if (handle.active === 0) void this.closeBrowser(handle);
    else this.retiring.add(handle);
  }

  private async closeBrowser(handle: Handle) {
    handle.retired = true;
    this.retiring.delete(handle);
    await handle.browser.close().catch(() => undefined);
  }
}

/** The pool for this worker process, from `automation.*` config (launches nothing until first use). */
export function browserPoolFromConfig(
  config: { automation: { chromiumPath?: string; recycleAfter: number; maxConcurrency: number } },
  deps: { logger?: Logger; metrics?: Metrics } = {},
): BrowserPool {
  const { chromiumPath, recycleAfter, maxConcurrency } = config.automation;
  return new BrowserPool({ chromiumPath, recycleAfter, maxConcurrency, ...deps });
}
