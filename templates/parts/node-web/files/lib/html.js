/**
 * HTML with escaping by default: everything interpolated into html`…` is escaped unless it is
 * itself html`…`. Pages are wrapped in one layout styled by public/theme.css (the design tokens).
 */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

class SafeHtml {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function render(value) {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** HTML this app rendered itself and already escaped (the Markdown renderer's output), as is. */
export function trustedHtml(text) {
  return new SafeHtml(String(text));
}

export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** The whole document around a page's body. */
export function layout(site, { title, body, path }) {
  const nav = site.nav.map(
    (link) =>
      html`<a href="${link.path}"${link.path === path ? html` aria-current="page"` : ''}>${link.label}</a>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title === site.name ? site.name : `${title} · ${site.name}`}</title>
${site.styles.map((href) => html`<link rel="stylesheet" href="${href}">\n`)}<script src="/assets/orchard-errors.js"></script>
<script src="/assets/orchard-preview.js" defer></script>
</head>
<body>
<header class="site-header"><div class="container">
<a class="brand" href="/">${site.name}</a>
<nav>${nav}</nav>
</div></header>
<main class="container">
${body}
</main>
<footer class="site-footer"><div class="container">${site.name}</div></footer>
</body>
</html>
`.text;
}
