// npm run bench:app-relay [seconds] — what the app relay adds when Orchard's proxy reaches an app
// supervised on another machine: the same small page fetched through `createAppProxy` from 16
// keep-alive clients, in alternating rounds straight to the app's port (Orchard on one machine, the
// peer) and through an app relay (`startAppRelay`, the credential checked on every request). The
// app and the relay are processes of their own, as they are in use (on two cores, here).
// Reports requests per second and p50/p99 latency per round, the medians, and the ratios.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createAppProxy, type Destination } from '../src/modules/deploy/serve/proxy.ts';
import { RELAY_HEADER, relayCredential } from '../src/modules/deploy/serve/relay-credential.ts';
import { fixedKeyRing } from '../src/modules/secrets/index.ts';
import { createLogger } from '../src/platform/log.ts';
import { load } from './support/load.ts';

const SECONDS = Number(process.argv[2] ?? 5);
const CONCURRENCY = 16;
const ROUNDS = 3;
const logger = createLogger({ level: 'silent' });

const APP = `require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><h1>' + req.url + '</h1>');
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

/** The first line a child prints: the port it listens on. */
async function portOf(child: { stdout: NodeJS.ReadableStream | null }): Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return Number(line);
}

const app = spawn(process.execPath, ['-e', APP], { stdio: ['ignore', 'pipe', 'inherit'] });
const appPort = await portOf(app);
const key = randomBytes(32);
const relayChild = fork(new URL('./support/relay-process.ts', import.meta.url), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, APP_PORT: String(appPort), BENCH_KEY: key.toString('base64') },
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const relayPort = await portOf(relayChild);
const credential = relayCredential(fixedKeyRing(key));

type Mode = 'direct' | 'relay';

async function round(mode: Mode) {
  const dest: Destination =
    mode === 'direct'
      ? { kind: 'up', port: appPort }
      : {
          kind: 'up',
          host: '127.0.0.1',
          port: relayPort,
          headers: { [RELAY_HEADER]: credential.value() },
        };
  // As a server replica sees it: the label is supervised elsewhere, found by lookup.
  const proxy = createAppProxy({
    domain: 'localhost',
    logger,
    local: () => undefined,
    lookup: async () => dest,
    dropHeaders: [RELAY_HEADER],
  });
  const front = createServer((req, res) => {
    if (!proxy.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  const result = await load(`http://127.0.0.1:${port}/page`, {
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    headers: { host: 'staging--shop.localhost' },
  });
  proxy.close();
  await new Promise((resolve) => front.close(resolve));
  if (result.errors) throw new Error(`${mode}: ${result.errors} requests failed`);
  return result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<Mode, Awaited<ReturnType<typeof round>>[]> = { direct: [], relay: [] };
await round('direct'); // warm-up
await round('relay');
for (let i = 0; i < ROUNDS; i++) {
  for (const mode of ['direct', 'relay'] as const) {
    const r = await round(mode);
    results[mode].push(r);
    console.log(
      `${mode.padEnd(6)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`,
    );
  }
}
const summary = (mode: Mode) => ({
  rps: median(results[mode].map((r) => r.rps)),
  p50: median(results[mode].map((r) => r.p50)),
  p99: median(results[mode].map((r) => r.p99)),
});
const direct = summary('direct');
const relayed = summary('relay');
for (const [name, s] of [
  ['direct (one machine)', direct],
  ['through the app relay', relayed],
] as const) {
  console.log(
    `median ${name}: ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`,
  );
}
console.log(
  `relay / direct: throughput ${(relayed.rps / direct.rps).toFixed(2)}×, p50 ${(relayed.p50 / direct.p50).toFixed(2)}×`,
);
relayChild.disconnect();
app.kill();
