import type { BrowserContext, Page } from 'playwright-core';
import { UnprocessableError } from '../../../platform/errors.ts';
import type { Logger } from '../../../platform/log.ts';
import { untilAborted } from '../../../platform/until-aborted.ts';
import type { BrowserPool } from '../browser-pool.ts';
import { type BlockedRequest, startGuardProxy } from '../guard-proxy.ts';
import { installRouteGuard } from '../route-guard.ts';
import { BlockedUrlError, type UrlGuard } from '../url-guard.ts';
import { analyzePageStyles, type DesignAnalysis } from './design-analysis.ts';
import { type CollectLimits, collectPageStyles, type RawStyles } from './page-styles.ts';

export interface DesignCaptureOptions {
  url: string;
  pool: BrowserPool;
  /** One guard per capture (it memoizes its verdicts): every request the page makes passes it. */
  guard: UrlGuard;
  /** The whole capture: load, measure, screenshot (default 45 s). */
  timeoutMs?: number;
  /** Cancels the capture (the client went away): its browser context is closed. */
  signal?: AbortSignal;
  logger?: Logger;
}

export interface DesignCapture {
  /** Where the page ended up (after redirects). */
  url: string;
  title: string;
  /** PNG of the page from the top, 1280 px wide, at most MAX_HEIGHT tall. */
  screenshot: Buffer;
  width: number;
  height: number;
  analysis: DesignAnalysis;
  blockedRequests: BlockedRequest[];
}

const VIEWPORT = { width: 1280, height: 800 };
const MAX_HEIGHT = 4000;
const LIMITS: CollectLimits = { maxElements: 20_000, maxDepth: 200 };
const SETTLE_MS = 3_000;

/**
 * Source text that runs `fn(arg)` in the page. Sent as text, not as a function: the TypeScript
 * loader names functions with a `__name` helper the page does not have, so one is defined here.
 */
function inPage<A, R>(fn: (arg: A) => R, arg: A): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
}

async function open(page: Page, url: string, blocked: BlockedRequest[], timeout: number) {
  const response = await page.goto(url, { waitUntil: 'load', timeout }).catch((error: Error) => {
    const refused = blocked.find((b) => b.url === url || b.url.startsWith(new URL(url).origin));
    if (refused) throw new BlockedUrlError(url, refused.reason);
    const reason = error.message.split('\n')[0]!.replace(/^page\.goto:\s*/, '');
    throw new UnprocessableError(`The page ${url} could not be opened (${reason}); check the address.`);
  });
  if (response?.headers()['x-orchard-blocked']) {
    const refused = blocked.find((b) => b.layer === 'proxy');
    throw new BlockedUrlError(url, refused?.reason ?? 'a redirect led somewhere the URL guard refuses');
  }
  if (response && response.status() >= 400) {
    throw new UnprocessableError(
      `The page ${url} answered ${response.status()}; give the address of a page that opens in a browser.`,
    );
  }
}

/**
 * Opens a page in the browser pool behind the URL guard (route interception and the guard proxy,
 * as verification does), waits for it to settle, measures its computed styles and takes a
 * screenshot. A URL the guard refuses is a BlockedUrlError (403) before the browser is used.
 */
export async function captureDesign(o: DesignCaptureOptions): Promise<DesignCapture> {
  const target = await o.guard.assert(o.url);
  const timeoutMs = o.timeoutMs ?? 45_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const blocked: BlockedRequest[] = [];
  const onBlocked = (b: BlockedRequest) => {
    if (blocked.length < 100) blocked.push(b);
    o.logger?.info({ url: b.url, reason: b.reason }, 'the URL guard blocked a request of a design reference');
  };
  const proxy = await startGuardProxy(o.guard, onBlocked);
  try {
    return await o.pool.withContext(
      {
        signal,
        context: { proxy: { server: proxy.server }, serviceWorkers: 'block', viewport: VIEWPORT },
      },
      // Settles as soon as the signal aborts, whatever step the closing context leaves hanging.
      (context) => untilAborted(measure(context), signal),
    );
  } catch (error) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (timeout.aborted)
      throw new UnprocessableError(
        `The page ${o.url} did not load and settle within ${Math.round(timeoutMs / 1000)} s; try again, or upload a screenshot of it instead.`,
      );
    throw error;
  } finally {
    await proxy.close();
  }

  async function measure(context: BrowserContext): Promise<DesignCapture> {
    await installRouteGuard(context, o.guard, onBlocked);
    const page = await context.newPage();
    await open(page, target.href, blocked, timeoutMs);
    // Late stylesheets and web fonts change what is measured; a page that never goes quiet is
    // measured as it is after a short wait.
    await page.waitForLoadState('networkidle', { timeout: SETTLE_MS }).catch(() => undefined);
    await page.evaluate('document.fonts.ready.then(() => true)').catch(() => undefined);
    const raw = (await page.evaluate(inPage(collectPageStyles, LIMITS))) as RawStyles;
    const height = Math.max(1, Math.min(Math.ceil(raw.height), MAX_HEIGHT));
    const screenshot = await page.screenshot({
      type: 'png',
      fullPage: true,
      clip: { x: 0, y: 0, width: VIEWPORT.width, height },
      animations: 'disabled',
      timeout: 15_000,
    });
    return {
      url: page.url(),
      title: raw.title.slice(0, 200),
      screenshot,
      width: VIEWPORT.width,
      height,
      analysis: analyzePageStyles(raw),
      blockedRequests: blocked,
    };
  }
}
