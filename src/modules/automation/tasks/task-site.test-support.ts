import http from 'node:http';

/**
 * A small shop with a login, for automation-task tests (tests only), on 127.0.0.1. `variant = 2`
 * redesigns the login page (the button says "Log in", the fields move), to test healing.
 */
export interface TaskSite {
  url: string;
  port: number;
  variant: 1 | 2;
  /** Form bodies the site received (the password must reach the site, and only the site). */
  posts: string[];
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;

const ORDERS = [
  { id: 'A-100', item: 'Blue mug', total: 12.5 },
  { id: 'A-101', item: 'Red teapot', total: 40 },
];

function loginPage(variant: 1 | 2) {
  return variant === 1
    ? page(
        'Sign in',
        `<h1>Sign in</h1><form method="post" action="/session">
           <label>Email <input name="email" type="email"></label>
           <label>Password <input name="password" type="password"></label>
           <button type="submit">Sign in</button></form>`,
      )
    : page(
        'Welcome back',
        `<header><nav><a href="/">Home</a> <a href="/help">Help</a></nav></header>
         <main><h2>Welcome back</h2><form method="post" action="/session">
           <p><label>Password <input name="password" type="password"></label></p>
           <p><label>Email <input name="email" type="email"></label></p>
           <p><button type="button" onclick="alert('no')">Cancel</button>
              <button type="submit">Log in</button></p></form></main>`,
      );
}

export async function startTaskSite(): Promise<TaskSite> {
  const site = { variant: 1 as 1 | 2, posts: [] as string[] };
  const sessions = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const html = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
    if (url.pathname === '/login') return html(200, loginPage(site.variant));
    if (url.pathname === '/session' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        site.posts.push(body);
        const form = new URLSearchParams(body);
        if (form.get('password') !== 'correct horse battery staple')
          return html(401, page('Sign in', '<h1>Wrong password</h1>'));
        const sid = `s${sessions.size + 1}x${Date.now()}`;
        sessions.set(sid, form.get('email') ?? '');
        res.writeHead(303, { location: '/account', 'set-cookie': `sid=${sid}; HttpOnly; Path=/` }).end();
      });
      return;
    }
    const sid = /sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const email = sid ? sessions.get(sid) : undefined;
    if (url.pathname === '/account') {
      if (!email) return html(302, '', { location: '/login' });
      const rows = ORDERS.map(
        (o) => `<tr><td>${o.id}</td><td>${o.item}</td><td>${o.total.toFixed(2)}</td></tr>`,
      );
      return html(
        200,
        page(
          'Account',
          `<h1>Your account</h1><p>Signed in as ${email}</p>
           <table><caption>Orders</caption><thead><tr><th>Order</th><th>Item</th><th>Total</th></tr></thead>
           <tbody>${rows.join('')}</tbody></table><a href="/export.csv" download>Export orders</a>`,
        ),
      );
    }
    if (url.pathname === '/export.csv') {
      if (!email) return html(403, page('No', '<h1>Sign in first</h1>'));
      res
        .writeHead(200, {
          'content-type': 'text/csv',
          'content-disposition': 'attachment; filename="orders.csv"',
        })
        .end(`id,item,total\n${ORDERS.map((o) => `${o.id},${o.item},${o.total}`).join('\n')}\n`);
      return;
    }
    html(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(site, {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
