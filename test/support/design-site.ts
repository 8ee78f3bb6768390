import http from 'node:http';

/**
 * A page whose design is known, for the design-reference tests (real Chromium): its colours,
 * fonts, sizes, spacing and radii are the ones listed in DESIGN, nothing else on the page.
 */
export const DESIGN = {
  background: '#fdf6e3',
  header: '#002b36',
  surface: '#eee8d5',
  text: '#073642',
  muted: '#657b83',
  border: '#93a1a1',
  primary: '#d33682',
  accent: '#268bd2',
  bodyFont: 'Georgia, serif',
  headingFont: '"Trebuchet MS", sans-serif',
  bodyPx: 18,
  /** The muted paragraph's size: smaller body text. */
  smallPx: 14,
  headingPx: [40, 28],
} as const;

const words = (n: number) =>
  Array.from({ length: n }, (_, i) => ['design', 'tokens', 'from', 'a', 'page', 'in', 'use'][i % 7]).join(
    ' ',
  );

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Solar shop</title>
<link rel="icon" href="data:,">
<style>
  * { box-sizing: border-box; }
  body { margin: 0; background: ${DESIGN.background}; color: ${DESIGN.text}; font-family: ${DESIGN.bodyFont}; font-size: ${DESIGN.bodyPx}px; }
  header { background: ${DESIGN.header}; color: ${DESIGN.background}; padding: 24px; }
  h1, h2 { font-family: ${DESIGN.headingFont}; margin: 0 0 16px; }
  h1 { font-size: ${DESIGN.headingPx[0]}px; }
  h2 { font-size: ${DESIGN.headingPx[1]}px; }
  main { padding: 24px; }
  p { margin: 0 0 16px; }
  .card { background: ${DESIGN.surface}; border: 2px solid ${DESIGN.border}; border-radius: 12px; padding: 16px; margin: 0 0 16px; }
  .btn { display: inline-block; background: ${DESIGN.primary}; color: #ffffff; border-radius: 6px; padding: 8px 16px; text-decoration: none; }
  a { color: ${DESIGN.accent}; }
  .muted { color: ${DESIGN.muted}; font-size: ${DESIGN.smallPx}px; }
</style></head><body>
<header><h1>Solar shop</h1></header>
<main>
  <h2>Panels for every roof</h2>
  <p>${words(120)}</p>
  <p class="muted">${words(40)}</p>
  <div class="card"><h2>Starter kit</h2><p>${words(30)}</p><a class="btn" href="/buy">Buy now</a></div>
  <div class="card"><p>${words(30)} <a href="/more">Read more about panels</a></p></div>
</main>
</body></html>`;

export interface DesignSite {
  url: string;
  close(): Promise<void>;
}

/** Serves the page at `/` on 127.0.0.1 (`/to?url=` redirects, `/never` never answers, others are 404s). */
export async function startDesignSite(): Promise<DesignSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (url.pathname === '/to') {
      res.writeHead(302, { location: url.searchParams.get('url') ?? '/' }).end();
      return;
    }
    if (url.pathname === '/never') return; // answers never: time budget and cancellation
    if (url.pathname !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
