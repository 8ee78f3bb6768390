import type { ServerResponse } from 'node:http';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The header on every answer the proxy makes itself: a short reason (no error text of Orchard's),
 * so a client, and the browser robot's report, can tell the proxy's 502 from the app's own.
 */
export const PROXY_ERROR_HEADER = 'x-orchard-proxy-error';

/** A small HTML page for what the proxy answers itself (unknown environment, app down). */
export function sendProxyPage(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  reason: string,
) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}p{color:#52606d}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p><p><small>Orchard</small></p></body></html>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    [PROXY_ERROR_HEADER]: reason,
    ...(status === 502 ? { 'retry-after': '2' } : {}),
  });
  res.end(body);
}
