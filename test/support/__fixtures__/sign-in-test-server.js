import http from 'node:http';
import { createSignIn } from './lib/sign-in.js';

// A deployed app for the sign-in service's tests: its people sign in with Orchard through the
// generated apps' own lib/sign-in.js, configured by what Orchard injected.
const signIn = createSignIn();
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://app');
    if (url.pathname === '/health') return res.end('ok');
    if (await signIn.handle(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const user = signIn.user(req);
    const body = user
      ? `<p>Signed in as ${escapeHtml(user.preferred_username)} (${escapeHtml(user.orchard_role)})</p><a href="/auth/logout">Sign out</a>`
      : '<p>Nobody is signed in.</p><a href="/auth/login?next=/mine">Sign in with Orchard</a>';
    res.end(
      `<!doctype html><title>Notes</title><h1>Notes${url.pathname === '/mine' ? ': mine' : ''}</h1>${body}`,
    );
  })
  .listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
