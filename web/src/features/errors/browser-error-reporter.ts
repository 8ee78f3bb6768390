import { api, hasSessionCookie } from '../../api/client.ts';
import type { BrowserErrorReport } from '../../api/error-types.ts';

/** At most this many reports per page load: a render loop must not flood the server. */
const MAX_REPORTS = 20;
let sent = 0;
const seen = new Set<string>();

const cut = (text: string | undefined, max: number) =>
  text && text.length > max ? text.slice(0, max) : text;

/**
 * Sends an error of Orchard's own UI to the server (signed-in only, each distinct error once per
 * page load). Never throws: reporting an error must not cause another.
 */
export function reportBrowserError(
  error: unknown,
  source: BrowserErrorReport['source'],
  extra: { componentStack?: string; message?: string } = {},
) {
  if (!hasSessionCookie() || sent >= MAX_REPORTS) return;
  const e = error instanceof Error ? error : undefined;
  const message = cut(e?.message ?? extra.message ?? String(error ?? 'Unknown error'), 2_000) ?? '';
  const type =
    cut(e?.name || (source === 'unhandledrejection' ? 'UnhandledRejection' : 'Error'), 200) ?? 'Error';
  const key = `${type}\n${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  sent++;
  const report: BrowserErrorReport = {
    type,
    message,
    stack: cut(e?.stack, 16_000),
    url: cut(window.location.pathname + window.location.search, 2_000),
    source,
    componentStack: cut(extra.componentStack, 8_000),
  };
  api.post('/api/errors/browser', report).catch(() => undefined);
}

/** Reports uncaught errors and unhandled promise rejections of the page; returns the uninstaller. */
export function installBrowserErrorReporter(): () => void {
  const onError = (event: ErrorEvent) => reportBrowserError(event.error, 'error', { message: event.message });
  const onRejection = (event: PromiseRejectionEvent) =>
    reportBrowserError(event.reason, 'unhandledrejection');
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
