import http from 'node:http';
import net from 'node:net';
import { mailSettings, sendMail } from './lib/mail.js';

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://app');
    if (url.pathname === '/health') return res.end('ok');
    if (url.pathname === '/env') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          host: process.env.SMTP_HOST ?? null,
          port: process.env.SMTP_PORT ?? null,
          user: process.env.SMTP_USER ?? null,
          from: process.env.MAIL_FROM ?? null,
          hasPassword: Boolean(process.env.SMTP_PASSWORD),
          analytics: process.env.ORCHARD_ANALYTICS_URL ?? null,
        }),
      );
    }
    if (url.pathname === '/reach') {
      const socket = net.connect(Number(url.searchParams.get('port')), '127.0.0.1');
      const answer = (what) => {
        socket.destroy();
        if (!res.headersSent) res.end(what);
      };
      socket.once('connect', () => answer('reached'));
      socket.once('error', (error) => answer(error.code ?? 'error'));
      socket.setTimeout(2000, () => answer('timeout'));
      return;
    }
    if (url.pathname === '/send') {
      const settings = mailSettings();
      const password = url.searchParams.get('password');
      try {
        const sent = await sendMail(
          {
            to: url.searchParams.get('to'),
            subject: url.searchParams.get('subject') ?? 'Hello',
            text: 'Hello from the app',
            html: '<p>Hello <b>from</b> the app</p><script>alert(1)</script>',
          },
          settings && password ? { ...settings, password } : settings,
        );
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(sent));
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        return res.end(String(error.message));
      }
    }
    if (url.pathname === '/missing') {
      res.writeHead(404, { 'content-type': 'text/html' });
      return res.end('<h1>not here</h1>');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<h1>page ' + url.pathname + '</h1>');
  })
  .listen(Number(process.env.PORT), process.env.HOST);
