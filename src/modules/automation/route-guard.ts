import type { BrowserContext } from 'playwright-core';
import type { BlockedRequest } from './guard-proxy.ts';
import type { UrlGuard } from './url-guard.ts';

/**
 * Checks every request the context's pages make and aborts the ones the guard refuses, so the page
 * sees a clear `net::ERR_BLOCKED_BY_CLIENT`. Redirect hops and WebSockets bypass routing: the guard
 * proxy (guard-proxy.ts) is what enforces the policy for those.
 */
export async function installRouteGuard(
  context: BrowserContext,
  guard: UrlGuard,
  onBlocked: (blocked: BlockedRequest) => void,
): Promise<void> {
  await context.route(
    () => true,
    async (route) => {
      const url = route.request().url();
      // data: and blob: URLs never leave the browser.
      if (!/^(https?|wss?):/i.test(url)) return route.continue().catch(() => undefined);
      const verdict = await guard.check(url);
      if (verdict.allowed) return route.continue().catch(() => undefined);
      onBlocked({ url, reason: verdict.reason, layer: 'route' });
      return route.abort('blockedbyclient').catch(() => undefined);
    },
  );
}
