// npm run bench:proxy-page-views [requests] — the app proxy's cost of counting page views (the
// analytics service): the same HTML page fetched through `createAppProxy` from 16 keep-alive
// clients, alternating rounds without the page-view hook and with the PageViewCounter's `note`
// (writes are batched off the request path, so they are not part of a request). Reports requests
// per second and p50/p99 latency per round, the medians of each mode, and the hook's own cost per call.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAppProxy } from '../src/modules/deploy/serve/proxy.ts';
import { PageViewCounter } from '../src/modules/services/analytics/page-view-counter.ts';
import type { Db } from '../src/platform/db/pool.ts';
import { createLogger } from '../src/platform/log.ts';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = 16;
const ROUNDS = 3;
const logger = createLogger({ level: 'silent' });

const app = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><h1>${req.url}</h1>`);
});
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
const appPort = (app.address() as AddressInfo).port;

// The counter is never flushed here: no database is needed for what a request pays.
const counter = new PageViewCounter({
  db: undefined as unknown as Db,
  clock: { now: () => new Date() },
  logger,
  environmentOfLabel: async () => undefined,
  flushMs: 3_600_000,
});

async function round(counting: boolean) {
  const proxy = createAppProxy({
    domain: 'localhost',
    logger,
    local: () => ({ kind: 'up', port: appPort }),
    lookup: async () => ({ kind: 'unknown' }),
    ...(counting ? { pageView: counter.note } : {}),
  });
  const front = createServer((req, res) => {
    if (!proxy.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const path = `/page-${sent % 50}?q=${sent}`;
      const req = request(
        { host: '127.0.0.1', port, path, agent, headers: { host: 'staging--shop.localhost' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  proxy.close();
  await new Promise((resolve) => front.close(resolve));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: REQUESTS / seconds, p50: at(0.5), p99: at(0.99) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = {
  off: [] as Awaited<ReturnType<typeof round>>[],
  on: [] as Awaited<ReturnType<typeof round>>[],
};
await round(false); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  for (const mode of ['off', 'on'] as const) {
    const r = await round(mode === 'on');
    results[mode].push(r);
    console.log(
      `${mode === 'on' ? 'counting   ' : 'not counting'} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`,
    );
  }
}
for (const mode of ['off', 'on'] as const) {
  const rs = results[mode];
  console.log(
    `median ${mode === 'on' ? 'counting    ' : 'not counting'}: ${median(rs.map((r) => r.rps)).toFixed(0)} req/s, p50 ${median(rs.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(rs.map((r) => r.p99)).toFixed(2)} ms`,
  );
}
// What the hook itself costs a request, without the network's noise.
const calls = 1_000_000;
const t0 = performance.now();
for (let i = 0; i < calls; i++) counter.note('staging--shop', `/page-${i % 50}?q=${i}`);
console.log(`note(): ${(((performance.now() - t0) * 1e6) / calls).toFixed(0)} ns per page view`);
app.close();
