const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const read = (f, d) =>
  fs.existsSync(path.join(__dirname, f)) ? fs.readFileSync(path.join(__dirname, f), 'utf8').trim() : d;
const version = read('VERSION', 'v0');
const mode = read('MODE', 'ok');
let slow = 0;
let slows = 0;
let hangups = 0;
const fast = read('FAST', '') !== '';
if (mode === 'unhealthy') console.error('cannot reach the database at db:5432');
if (mode === 'exit') {
  console.error('missing setting: DATABASE_URL');
  process.exit(2);
}
http
  .createServer((req, res) => {
    if (req.url === '/health') {
      if (mode === 'unhealthy') {
        res.writeHead(503);
        return res.end('database unreachable');
      }
      return res.end('ok');
    }
    if (req.url === '/crash') {
      res.end('bye');
      setTimeout(() => process.exit(7), 5);
      return;
    }
    // /slow answers after 300 ms (or ?ms=N; at once in a release with a FAST file); /busy says how
    // many slow requests are in progress, /slows how many came in all.
    if (req.url === '/slow' || req.url.startsWith('/slow?')) {
      const ms = fast ? 0 : Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 300);
      slow++;
      slows++;
      req.resume();
      // In progress until answered, or until the caller went away.
      let ended = false;
      const end = () => {
        if (!ended) slow--;
        ended = true;
      };
      res.on('close', end);
      setTimeout(() => {
        if (!ended) res.end('slow ' + version);
        end();
      }, ms);
      return;
    }
    if (req.url === '/busy') return res.end(String(slow));
    if (req.url === '/slows') return res.end(String(slows));
    // /hangup drops the connection without an answer; /hangup-once only the first time (of this
    // process); /hangups says how many requests were dropped.
    if (req.url === '/hangup' || (req.url === '/hangup-once' && hangups === 0)) {
      hangups++;
      return req.socket.destroy();
    }
    if (req.url === '/hangups') return res.end(String(hangups));
    if (req.url === '/spoof-proxy-error') {
      res.writeHead(503, { 'x-orchard-proxy-error': 'app not running (crashed)' });
      return res.end('not really');
    }
    // An app can run any code: /sh runs a shell script, as an attacker's app would.
    if (req.url.startsWith('/sh?')) {
      const script = new URL(req.url, 'http://x').searchParams.get('c') ?? '';
      const out = require('node:child_process').spawnSync('sh', ['-c', script], { encoding: 'utf8' });
      return res.end(out.stdout + out.stderr);
    }
    // Every request header that reached the app (what the proxies added, kept or removed).
    if (req.url === '/headers') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(req.headers));
    }
    // What reached the app of the request's cookies (the proxy keeps Orchard's own from it).
    if (req.url === '/cookies') return res.end(req.headers.cookie ?? '');
    if (req.url === '/info') {
      res.setHeader('content-type', 'application/json');
      return res.end(
        JSON.stringify({
          version,
          dataDir: process.env.DATA_DIR,
          port: process.env.PORT,
          forwardedHost: req.headers['x-forwarded-host'],
          builds: read('build-count.txt', '').split('\n').filter(Boolean).length,
          secretsGiven: ['PROTECTED_KEY', 'OPEN_KEY'].filter((k) => process.env[k]),
          buildSecrets: read('build-secrets.txt', ''),
        }),
      );
    }
    res.end('hello from ' + version);
  })
  .on('upgrade', (_req, socket) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: Upgrade\r\nx-version: ' +
        version +
        '\r\n\r\n',
    );
    socket.pipe(socket);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () =>
    console.log('listening on ' + process.env.PORT + ' (' + version + ')'),
  );
