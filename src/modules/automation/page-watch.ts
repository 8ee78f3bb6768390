import type { Page, Request } from 'playwright-core';
import type { BlockedRequest } from './guard-proxy.ts';

/** Set by Orchard's app proxy on what it answers itself (deploy/serve/proxy-pages.ts). */
const PROXY_ERROR_HEADER = 'x-orchard-proxy-error';

export interface FailedRequest {
  method: string;
  url: string;
  resourceType: string;
  /** The HTTP status when the server answered ≥ 400. */
  status?: number;
  /** The network error, or why the URL guard refused the request. */
  error?: string;
}

export interface PageFindings {
  consoleErrors: string[];
  failedRequests: FailedRequest[];
}

const MAX_ITEMS = 50;
const MAX_TEXT = 500;

/**
 * Collects what a page reports as broken: console errors, uncaught exceptions, requests that fail
 * and responses ≥ 400. `take()` hands over what was seen since the last call (one visited page).
 */
export function watchPage(page: Page, blocked: readonly BlockedRequest[]) {
  let findings: PageFindings = { consoleErrors: [], failedRequests: [] };
  const add = <T>(list: T[], item: T) => {
    if (list.length < MAX_ITEMS) list.push(item);
  };
  const guardReason = (request: Request) => {
    const url = request.url();
    const origin = safeOrigin(url);
    return blocked.find((b) => b.url === url || (origin && safeOrigin(b.url) === origin))?.reason;
  };

  // Requests in flight, for settle(): a page is settled when none has been in flight for a while.
  const inFlight = new Set<Request>();
  let lastActivity = performance.now();
  const started = (request: Request) => {
    inFlight.add(request);
    lastActivity = performance.now();
  };
  const ended = (request: Request) => {
    inFlight.delete(request);
    lastActivity = performance.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);

  page.on('console', (message) => {
    if (message.type() === 'error') add(findings.consoleErrors, clip(message.text()));
  });
  page.on('pageerror', (error) =>
    add(findings.consoleErrors, clip(`Uncaught ${error.name}: ${error.message}`)),
  );
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? 'failed';
    // Navigations abort what is still loading (a favicon, say): that is not the app's fault.
    if (errorText === 'net::ERR_ABORTED') return;
    const reason = guardReason(request);
    add(findings.failedRequests, {
      method: request.method(),
      url: clip(request.url()),
      resourceType: request.resourceType(),
      error: reason ? `blocked by the URL guard: ${reason}` : errorText,
    });
  });
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() < 400 || new URL(response.url()).pathname === '/favicon.ico') return;
    const headers = response.headers();
    const reason = headers['x-orchard-blocked'] ? guardReason(request) : undefined;
    // Orchard's app proxy answered itself (the app is down, or did not answer): say so and why.
    const proxied = headers[PROXY_ERROR_HEADER];
    const error = reason
      ? `blocked by the URL guard: ${reason}`
      : proxied
        ? `from Orchard's proxy: ${clip(proxied)}`
        : undefined;
    add(findings.failedRequests, {
      method: request.method(),
      url: clip(response.url()),
      resourceType: request.resourceType(),
      status: response.status(),
      ...(error ? { error } : {}),
    });
  });

  return {
    /**
     * Waits until no request has been in flight for `quietMs` (Playwright's `networkidle` waits a
     * fixed 500 ms), or `maxMs` passes: apps that poll never settle. Resolves whether it settled.
     */
    async settle(quietMs: number, maxMs: number): Promise<boolean> {
      const deadline = performance.now() + maxMs;
      for (;;) {
        const now = performance.now();
        const quietFor = now - lastActivity;
        if (inFlight.size === 0 && quietFor >= quietMs) return true;
        if (now >= deadline) return false;
        const wait = inFlight.size ? 25 : quietMs - quietFor;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, deadline - now))));
      }
    },
    take(): PageFindings {
      const taken = findings;
      findings = { consoleErrors: [], failedRequests: [] };
      return taken;
    },
  };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function safeOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? 443 : 80)}`;
  } catch {
    return undefined;
  }
}
