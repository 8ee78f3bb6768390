/**
 * The operations engine against its peers on the same PostgreSQL, at the same concurrency:
 * throughput of no-op steps (Orchard writes its event rows too) vs graphile-worker 0.17 and
 * pg-boss 10 jobs; idle enqueue-to-start latency vs graphile-worker; how soon a kill -9'd worker's
 * step runs again; SSE fan-out latency to 1,000 subscribers of one operation.
 *
 *   npm run bench:queue                      # embedded PostgreSQL in a temp dir
 *   DATABASE_URL=postgres://… npm run bench:queue
 *   BENCH_JOBS=20000 BENCH_CONCURRENCY=8 BENCH_ROUNDS=3 BENCH_SSE_CLIENTS=1000 npm run bench:queue
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type AppResources, createHttp, createResources } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { bootstrapAdmin } from '../src/modules/identity/index.ts';
import {
  createWorkerPool,
  defineStep,
  defineWorkflow,
  startOperation,
} from '../src/modules/operations/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { until } from '../test/support/until.ts';
import { graphileLatency, graphileThroughput, pgBossThroughput } from './queue-peers.ts';
import { benchPostgres, freshDatabase, now, percentile, quiet } from './queue-support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const JOBS = Number(env.BENCH_JOBS ?? 20_000);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const LATENCY_SAMPLES = Number(env.BENCH_LATENCY_SAMPLES ?? 200);
const SSE_CLIENTS = Number(env.BENCH_SSE_CLIENTS ?? 1_000);
const SSE_EVENTS = 50;
const KILL_LEASE_MS = Number(env.BENCH_LEASE_MS ?? 5_000);
/** BENCH_ONLY=throughput,latency,recovery,sse runs a subset. */
const ONLY = new Set((env.BENCH_ONLY ?? 'throughput,latency,recovery,sse').split(','));
const children: ChildProcess[] = [];

const rows: Array<[string, string, string, string, string]> = [];
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}\n`);

async function orchardResources(url: string, home: string, extra: Record<string, unknown> = {}) {
  const config = loadConfig({
    env: {},
    cwd: home,
    flags: {
      home,
      databaseUrl: url,
      logLevel: 'silent',
      'rateLimit.tokenPerMinute': 10_000_000,
      'rateLimit.ipPerMinute': 10_000_000,
      ...extra,
    },
  });
  const res = await createResources(config, url, { logger: quiet, poolSize: CONCURRENCY + 8 });
  await migrate(res.db);
  const sent: number[] = [];
  res.registry.add(
    defineWorkflow('bench.noop', z.object({ steps: z.number().int() }), (input) =>
      Array.from({ length: input.steps }, (_, i) => ({ key: `s${i}`, step: 'bench.noop' })),
    ),
    defineStep('bench.noop', { queue: 'bench', handler: async () => null }),
    defineWorkflow('bench.ping', z.object({ sent: z.number() }), (input) => [
      { key: 'ping', step: 'bench.ping', input },
    ]),
    defineStep<{ sent: number }>('bench.ping', {
      queue: 'ping',
      handler: async (ctx) => {
        sent.push(now() - ctx.input.sent);
      },
    }),
  );
  return { res, pingLatencies: sent };
}

/** Orchard: `JOBS` steps in operations of `perOperation`, enqueued first, then one pool; steps/s. */
async function orchardThroughput(res: AppResources, perOperation: number): Promise<number> {
  const sizes = Array.from({ length: Math.ceil(JOBS / perOperation) }, (_, i) =>
    Math.min(perOperation, JOBS - i * perOperation),
  );
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < sizes.length; i += 8) {
        await startOperation(res.db, res.registry, { kind: 'bench.noop', input: { steps: sizes[i]! } });
      }
    }),
  );
  const pool = createWorkerPool({ res, registry: res.registry, queues: ['bench'], concurrency: CONCURRENCY });
  const started = now();
  await pool.start();
  // Cheap to ask (the partial index of unfinished steps), so polling does not slow the workers.
  await until(
    async () => {
      const { rows } = await res.db.query(
        `SELECT 1 FROM steps WHERE status <> 'succeeded' AND queue = 'bench' LIMIT 1`,
      );
      return rows.length === 0;
    },
    300_000,
    'every step',
    20,
  );
  const seconds = (now() - started) / 1000;
  await pool.stop();
  await res.db.query(`DELETE FROM operations WHERE kind = 'bench.noop'`);
  return JOBS / seconds;
}

async function orchardLatency(res: AppResources, latencies: number[]) {
  const pool = createWorkerPool({ res, registry: res.registry, queues: ['ping'], concurrency: 4 });
  await pool.start();
  await sleep(500);
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    await startOperation(res.db, res.registry, { kind: 'bench.ping', input: { sent: now() } });
    await sleep(20);
  }
  await until(() => latencies.length >= LATENCY_SAMPLES, 30_000);
  await pool.stop();
  return latencies;
}

function spawnOrchard(
  args: string[],
  childEnv: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'orchard'), ...args], {
    cwd: ROOT,
    env: { ...env, ORCHARD_LOG_LEVEL: 'warn', ...childEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c) => (out += c));
    child.stdout!.on('data', (c) => {
      out += c;
      if (ready.test(out)) resolve({ child, output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`orchard ${args[0]} exited ${code}: ${out}`)));
  });
}

/** kill -9 a worker mid-step; ms until another worker runs the step again. */
async function rerunAfterKill(res: AppResources, url: string, home: string) {
  const victim = await spawnOrchard(
    ['worker', '--worker-id', 'bench-victim', '--queues', 'default'],
    {
      DATABASE_URL: url,
      ORCHARD_HOME: home,
      ORCHARD_LEASE_MS: String(KILL_LEASE_MS),
      ORCHARD_HEARTBEAT_MS: String(KILL_LEASE_MS / 5),
    },
    /is running/,
  );
  const { id } = await startOperation(res.db, res.registry, {
    kind: 'system.canary',
    input: { steps: 1, stepMs: 120_000 },
  });
  const step = async (attempt: number) =>
    (
      await res.db.query(
        `SELECT 1 FROM operation_events WHERE operation_id = $1 AND type = 'step' AND data->>'status' = 'running' AND (data->>'attempt')::int = $2`,
        [id, attempt],
      )
    ).rowCount === 1;
  await until(() => step(1), 30_000);
  const rescuer = createWorkerPool({
    res,
    registry: res.registry,
    queues: ['default'],
    concurrency: 2,
    leaseMs: KILL_LEASE_MS,
    heartbeatMs: KILL_LEASE_MS / 5,
  });
  await rescuer.start();
  const killed = now();
  victim.child.kill('SIGKILL');
  await until(() => step(2), KILL_LEASE_MS + 30_000);
  const ms = now() - killed;
  await res.db.query(`UPDATE operations SET cancel_requested = true WHERE id = $1`, [id]);
  await rescuer.stop();
  return ms;
}

/** 1,000 SSE subscribers of one operation (in another process); event delivery latency. */
async function sseFanout(res: AppResources) {
  const token = `orch_${randomBytes(18).toString('hex')}`;
  await bootstrapAdmin(res.db, res.clock, quiet, token);
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  res.registry.add(
    defineWorkflow('bench.ticker', z.object({}), () => [{ key: 'tick', step: 'bench.ticker' }]),
    defineStep('bench.ticker', {
      queue: 'ticker',
      handler: async (ctx) => {
        await started;
        for (let i = 0; i < SSE_EVENTS; i++) {
          await ctx.emit({ type: 'tick', i, sentAt: now() });
          await sleep(20);
        }
      },
    }),
  );
  const http = await createHttp(res, { webRoot: path.join(os.tmpdir(), 'no-web') });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const pool = createWorkerPool({ res, registry: res.registry, queues: ['ticker'], concurrency: 1 });
  await pool.start();
  const { id } = await startOperation(res.db, res.registry, { kind: 'bench.ticker', input: {} });
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'bench', 'queue-sse-clients.ts'),
      base,
      token,
      id,
      String(SSE_CLIENTS),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  let out = '';
  let going = false;
  const result = new Promise<{ clients: number; deliveries: number; p50: number; p99: number; max: number }>(
    (resolve, reject) => {
      child.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('connected') && !going) {
          going = true;
          setTimeout(go, 1_000); // let the last streams finish their replay
        }
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => (code ? reject(new Error(`SSE clients exited ${code}`)) : undefined));
    },
  );
  const summary = await result;
  await pool.stop();
  await http.close();
  return summary;
}

/**
 * Throughput, in `ROUNDS` alternating rounds (the machine's noise swings single runs by ±30%):
 * medians of each, and the median of the per-round ratios. pg-boss runs once (it is far behind).
 */
async function throughput(res: AppResources, graphileUrl: string, bossUrl: string) {
  const runs = {
    single: [] as number[],
    batched: [] as number[],
    graphile: [] as number[],
    gwBatched: [] as number[],
  };
  for (let round = 1; round <= ROUNDS; round++) {
    log(`throughput round ${round}/${ROUNDS}: Orchard, 1-step operations…`);
    runs.single.push(await orchardThroughput(res, 1));
    log(`throughput round ${round}/${ROUNDS}: graphile-worker…`);
    runs.graphile.push(await graphileThroughput(graphileUrl, JOBS, CONCURRENCY));
    log(`throughput round ${round}/${ROUNDS}: Orchard, 20-step operations…`);
    runs.batched.push(await orchardThroughput(res, 20));
    log(`throughput round ${round}/${ROUNDS}: graphile-worker with its local queue and batched completions…`);
    runs.gwBatched.push(await graphileThroughput(graphileUrl, JOBS, CONCURRENCY, true));
    log(
      `  steps/s: Orchard ${fmt(runs.single.at(-1)!)} (1-step), ${fmt(runs.batched.at(-1)!)} (20-step); ` +
        `graphile-worker ${fmt(runs.graphile.at(-1)!)}, batched ${fmt(runs.gwBatched.at(-1)!)}`,
    );
  }
  log('throughput: pg-boss…');
  const boss = await pgBossThroughput(bossUrl, JOBS, CONCURRENCY, 50);
  const median = (values: number[]) => percentile(values, 50);
  const ratio = (ours: number[], theirs: number[]) => median(ours.map((v, i) => v / theirs[i]!));
  const range = (values: number[]) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
  const gw = fmt(median(runs.graphile));
  rows.push([
    `no-op steps/s, 1-step operations (median of ${ROUNDS}; range)`,
    `${fmt(median(runs.single))} (${range(runs.single)})`,
    `${gw} (${range(runs.graphile)})`,
    fmt(boss),
    `${fmt(ratio(runs.single, runs.graphile), 2)}× gw`,
  ]);
  rows.push([
    'no-op steps/s, 20-step operations',
    `${fmt(median(runs.batched))} (${range(runs.batched)})`,
    gw,
    fmt(boss),
    `${fmt(ratio(runs.batched, runs.graphile), 2)}× gw`,
  ]);
  rows.push([
    'no-op steps/s, 1-step ops vs gw localQueue 64 + batched completes',
    fmt(median(runs.single)),
    `${fmt(median(runs.gwBatched))} (${range(runs.gwBatched)})`,
    '—',
    `${fmt(ratio(runs.single, runs.gwBatched), 2)}× gw batched`,
  ]);
}

async function latency(res: AppResources, pings: number[], graphileUrl: string) {
  log('latency: enqueue → start, Orchard…');
  const ours = await orchardLatency(res, pings);
  log('latency: enqueue → start, graphile-worker…');
  const theirs = await graphileLatency(graphileUrl, LATENCY_SAMPLES, 20);
  for (const p of [50, 99]) {
    const [a, b] = [percentile(ours, p), percentile(theirs, p)];
    rows.push([`enqueue→start p${p} ms (idle workers)`, fmt(a, 1), fmt(b, 1), '—', `${fmt(a / b, 2)}× gw`]);
  }
}

async function recovery(res: AppResources, url: string, home: string) {
  log(`recovery: kill -9 a worker mid-step (lease ${KILL_LEASE_MS} ms)…`);
  const rerun = await rerunAfterKill(res, url, home);
  rows.push([
    `killed worker's step runs again after, ms (lease ${KILL_LEASE_MS} ms)`,
    fmt(rerun),
    'locked 4 h',
    '—',
    `target ≤ ${KILL_LEASE_MS + 5000}`,
  ]);
}

async function sse(res: AppResources) {
  log(`SSE: ${SSE_CLIENTS} subscribers on one operation…`);
  const r = await sseFanout(res);
  rows.push([
    `SSE delivery p50 ms (${r.clients} clients × ${SSE_EVENTS} events)`,
    fmt(r.p50, 1),
    '—',
    '—',
    `${r.deliveries} delivered`,
  ]);
  rows.push(['SSE delivery p99 ms', fmt(r.p99, 1), '—', '—', `max ${fmt(r.max, 1)}`]);
}

async function main() {
  const pg = await benchPostgres(env.DATABASE_URL);
  // Ctrl-C or a timeout must not leave the embedded PostgreSQL or child processes behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      void pg.stop().finally(() => process.exit(130));
    });
  }
  const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-home-'));
  log(`bench: ${pg.kind}, ${JOBS} jobs, concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs`);
  const orchardDb = await freshDatabase(pg.adminUrl, 'bench_orchard');
  const graphileDb = await freshDatabase(pg.adminUrl, 'bench_graphile');
  const bossDb = await freshDatabase(pg.adminUrl, 'bench_pgboss');
  const { res, pingLatencies } = await orchardResources(orchardDb.url, home);
  try {
    if (ONLY.has('throughput')) await throughput(res, graphileDb.url, bossDb.url);
    if (ONLY.has('latency')) await latency(res, pingLatencies, graphileDb.url);
    if (ONLY.has('recovery')) await recovery(res, orchardDb.url, home);
    if (ONLY.has('sse')) await sse(res);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await res.bus.close();
    await res.db.end();
    for (const db of [orchardDb, graphileDb, bossDb]) await db.drop().catch(() => undefined);
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }
  const header: [string, string, string, string, string] = [
    'measure',
    'Orchard',
    'graphile-worker 0.17',
    'pg-boss 10 (batch 50)',
    'ratio',
  ];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(
    `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`,
  );
}

await main();
process.exit(0);
