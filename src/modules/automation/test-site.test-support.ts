import http from 'node:http';

/** A tiny site for the robot's tests (tests only), on 127.0.0.1. */
export interface TestSite {
  url: string;
  port: number;
  /** Paths requested so far, in order. */
  hits: string[];
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;

const PAGES: Record<string, string> = {
  '/': page(
    'Home',
    `<h1>Welcome to Photos</h1><p class="lead">Share your photos</p><a href="/photos">Photos</a>
     <script src="/app.js"></script>`,
  ),
  '/app.js': 'document.body.dataset.ready = "yes";',
  '/photos': page(
    'Photos',
    `<h1>Photos</h1><ul id="list"></ul>
     <form id="add" onsubmit="event.preventDefault(); const li = document.createElement('li'); li.textContent = this.title.value; document.getElementById('list').append(li);">
       <input name="title" id="title"><select id="kind"><option>a</option><option>b</option></select><button>Add photo</button>
     </form>`,
  ),
  '/broken': page(
    'Broken',
    `<h1>Broken</h1><script>console.error('boom from the page'); fetch('/api/missing'); fetch('/api/proxied');</script>
     <img src="http://blocked.example/pixel.png">`,
  ),
  '/sneaky': page('Sneaky', `<h1>Sneaky</h1><img src="/to-metadata">`),
  // Far taller than a screenshot may be (a large JSON document shown in the browser is like it).
  '/tall': page(
    'Tall',
    `<h1>Tall</h1><div style="height:200000px;background:linear-gradient(#fff,#000)"></div>`,
  ),
};

export async function startTestSite(): Promise<TestSite> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    hits.push(url.pathname);
    if (url.pathname === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    if (url.pathname === '/big.json') {
      // A large compact JSON document, as an API service's OpenAPI document of many entities is.
      const paths = Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [`/api/things${i}/{id}`, { get: { summary: `Thing ${i}` } }]),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ openapi: '3.1.0', paths }));
      return;
    }
    if (url.pathname === '/never') return; // answers never: cancellation and budget tests
    // Pages that try to leave: ?to=<url> (repeatable) is fetched, navigated to, or redirected to.
    const targets = url.searchParams.getAll('to');
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: targets[0] ?? '/' }).end();
      return;
    }
    if (url.pathname === '/fetch' || url.pathname === '/jump') {
      const list = JSON.stringify(targets).replace(/</g, '\\u003c');
      const script =
        url.pathname === '/fetch'
          ? `Promise.allSettled(${list}.map((u) => fetch(u, { mode: 'no-cors' }))).then(() => { document.body.dataset.done = 'yes'; });`
          : `location.href = ${list}[0];`;
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('Leaving', `<h1>Leaving</h1><script>${script}</script>`));
      return;
    }
    if (url.pathname === '/api/proxied') {
      // What Orchard's app proxy answers when the app behind it did not.
      res
        .writeHead(502, {
          'content-type': 'text/html',
          'x-orchard-proxy-error': 'no answer from the app (ECONNRESET)',
        })
        .end('<h1>The app did not answer</h1>');
      return;
    }
    const body = PAGES[url.pathname];
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const type = url.pathname.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
