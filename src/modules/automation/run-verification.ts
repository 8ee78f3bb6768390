import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Logger } from '../../platform/log.ts';
import type { AccessCookie } from './access-cookie.ts';
import { type ArtifactRef, type ArtifactStore, artifactSaver, artifactSlug } from './artifacts.ts';
import type { BrowserPool } from './browser-pool.ts';
import { type BlockedRequest, startGuardProxy } from './guard-proxy.ts';
import { watchPage } from './page-watch.ts';
import { installRouteGuard } from './route-guard.ts';
import type { SmokePage, SmokeSuite } from './smoke-suite.ts';
import type { UrlGuard } from './url-guard.ts';
import { type PageResult, verifyPage } from './verify-page.ts';

export interface VerificationOptions {
  baseUrl: string;
  suite: SmokeSuite;
  pool: BrowserPool;
  /** One guard per task: it memoizes its verdicts. */
  guard: UrlGuard;
  artifacts: ArtifactStore;
  /** Artifacts are stored as `<artifactPrefix>/<file>`. */
  artifactPrefix: string;
  /** Per page: load, steps and screenshot (default 30 s). */
  pageTimeoutMs?: number;
  /** How long an expectation waits for its text or element (default 5 s). */
  expectTimeoutMs?: number;
  /** The longest wait for the network to go quiet after load (default 3 s). */
  idleWaitMs?: number;
  /** How long no request may be in flight for the network to count as quiet (default 250 ms). */
  quietMs?: number;
  /** The whole task (default 3 minutes): pages not reached in time fail as "not run". */
  totalTimeoutMs?: number;
  /** Cancels the task: its context is closed and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  onPage?: (page: PageResult, index: number, total: number) => unknown;
  /** Resolves and performs an `act` step (the action cache, else the planner). */
  act?: (page: Page, instruction: string, timeoutMs: number) => Promise<string>;
  onArtifact?: (artifact: ArtifactRef) => unknown;
  logger?: Logger;
  /** Cookies the browser starts with: the access a private environment gives Orchard's robot. */
  cookies?: readonly AccessCookie[];
}

export interface VerificationResult {
  passed: boolean;
  baseUrl: string;
  pages: PageResult[];
  /** Every request of the task (response bodies omitted). */
  har?: ArtifactRef;
  /** Playwright trace (open with `npx playwright show-trace`), kept only when something failed. */
  trace?: ArtifactRef;
  blockedRequests: BlockedRequest[];
  durationMs: number;
}

const SCREENSHOT_TIMEOUT_MS = 10_000;
/**
 * A page screenshot shows the whole page up to this height, then stops: a very tall page (a large
 * JSON document in the browser's viewer) took longer than the timeout to capture whole, which
 * failed its check (the build corpus found it with 10–12 entity API services).
 */
export const MAX_SCREENSHOT_HEIGHT = 8_000;
const BROWSER_SERVICES = /(^|\.)(googleapis\.com|gvt1\.com|gstatic\.com|google\.com)$/;

function isBrowserService(url: string): boolean {
  try {
    return BROWSER_SERVICES.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Visits every page of a smoke suite in one fresh browser context, like a user would, and reports
 * per-page checks with a screenshot each, a HAR of the whole task and, on failure, a trace.
 */
export async function runVerification(o: VerificationOptions): Promise<VerificationResult> {
  const started = performance.now();
  const deadline = started + (o.totalTimeoutMs ?? 180_000);
  const baseUrl = await o.guard.assert(o.baseUrl);
  o.signal?.throwIfAborted();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-verify-'));
  const blocked: BlockedRequest[] = [];
  const onBlocked = (b: BlockedRequest) => {
    // Chromium's own background calls (autofill queries on pages with forms) use the context's
    // proxy too; they stay blocked but are not the app's doing.
    if (b.layer === 'proxy' && isBrowserService(b.url)) return;
    if (blocked.length < 100) blocked.push(b);
    o.logger?.warn({ url: b.url, reason: b.reason }, 'the URL guard blocked a browser request');
  };
  const proxy = await startGuardProxy(o.guard, onBlocked);
  const store = artifactSaver(o.artifacts, o.artifactPrefix, o.onArtifact);

  const pages: PageResult[] = [];
  const harFile = path.join(dir, 'network.har');
  const traceFile = path.join(dir, 'trace.zip');
  let traced = false;
  try {
    await o.pool.withContext(
      {
        signal: o.signal,
        context: {
          proxy: { server: proxy.server },
          recordHar: { path: harFile, content: 'omit' },
          // Requests a service worker answers never reach routing; the robot does not need them.
          serviceWorkers: 'block',
          viewport: { width: 1280, height: 800 },
        },
      },
      async (context) => {
        await installRouteGuard(context, o.guard, onBlocked);
        if (o.cookies?.length) await context.addCookies([...o.cookies]);
        await context.tracing.start({ screenshots: true, snapshots: true });
        const page = await context.newPage();
        const watch = watchPage(page, blocked);
        const total = o.suite.pages.length;
        for (const [index, spec] of o.suite.pages.entries()) {
          o.signal?.throwIfAborted();
          const prefix = `${String(index + 1).padStart(2, '0')}-${artifactSlug(spec.name)}`;
          const result =
            performance.now() >= deadline
              ? notRun(spec, new URL(spec.path, baseUrl).href, o.totalTimeoutMs ?? 180_000)
              : await verifyPage({
                  page,
                  spec,
                  suite: o.suite,
                  baseUrl,
                  pageDeadline: Math.min(deadline, performance.now() + (o.pageTimeoutMs ?? 30_000)),
                  expectTimeoutMs: o.expectTimeoutMs ?? 5_000,
                  idleWaitMs: o.idleWaitMs ?? 3_000,
                  take: () => watch.take(),
                  ...(o.act ? { act: o.act } : {}),
                  settle: (maxMs) => watch.settle(o.quietMs ?? 250, maxMs),
                  capture: async (name) => {
                    const shown = await page
                      .evaluate(() => ({
                        height: document.documentElement.scrollHeight,
                        html: document.contentType === 'text/html',
                      }))
                      .catch(() => ({ height: 0, html: true }));
                    const width = page.viewportSize()?.width ?? 1280;
                    // A document that is not HTML (JSON, text) as the browser shows it: what fits
                    // in the window says what it is; laying out all of a large one for a full-page
                    // capture took longer than the timeout.
                    const png = await page.screenshot({
                      fullPage: shown.html,
                      type: 'png',
                      timeout: SCREENSHOT_TIMEOUT_MS,
                      ...(shown.html && shown.height > MAX_SCREENSHOT_HEIGHT
                        ? { clip: { x: 0, y: 0, width, height: MAX_SCREENSHOT_HEIGHT } }
                        : {}),
                    });
                    const file = name ? `${prefix}-${artifactSlug(name)}.png` : `${prefix}.png`;
                    return store(
                      file,
                      name ? `${spec.name}: ${name}` : spec.name,
                      'screenshot',
                      png,
                      'image/png',
                    );
                  },
                });
          o.signal?.throwIfAborted();
          pages.push(result);
          await o.onPage?.(result, index, total);
        }
        traced = pages.some((p) => !p.passed);
        await context.tracing.stop(traced ? { path: traceFile } : {});
      },
    );
    // The HAR is written when the context closes, which withContext has done by now.
    const harData = await readFile(harFile).catch((error: Error) => {
      o.logger?.warn({ err: error }, 'the HAR was not written');
      return undefined;
    });
    const har = harData
      ? await store('network.har', 'network.har', 'har', harData, 'application/json')
      : undefined;
    const trace = traced
      ? await store('trace.zip', 'trace.zip', 'trace', await readFile(traceFile), 'application/zip')
      : undefined;
    return {
      passed: pages.every((p) => p.passed),
      baseUrl: baseUrl.href,
      pages,
      ...(har ? { har } : {}),
      ...(trace ? { trace } : {}),
      blockedRequests: blocked,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (o.signal?.aborted) throw o.signal.reason;
    throw error;
  } finally {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function notRun(spec: SmokePage, url: string, totalMs: number): PageResult {
  const source = spec.source ? { source: spec.source } : {};
  return {
    name: spec.name,
    url,
    passed: false,
    ...source,
    ...(spec.story ? { story: spec.story } : {}),
    checks: [
      {
        name: 'time budget',
        passed: false,
        message: `not run: the task's ${totalMs / 1000} s budget ran out`,
        ...source,
      },
    ],
    stepScreenshots: [],
    consoleErrors: [],
    failedRequests: [],
    durationMs: 0,
  };
}
