/** Text for HTML. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A page of the sign-in provider's own (errors, sign-out): plain HTML with inline style, nothing
 * fetched from elsewhere (oidc-provider's defaults load web fonts from a third party).
 */
export function providerPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}p{color:#52606d}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem;border-radius:.375rem;border:1px solid #cbd2d9;background:#fff;cursor:pointer}
button[value=yes]{background:#1f2933;color:#fff;border-color:#1f2933}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}<p><small>Orchard</small></p></body></html>`;
}
