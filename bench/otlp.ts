/**
 * OTLP span ingest end to end: spans per second that Orchard's /otlp/v1/traces accepts (and has
 * committed: a 200 means the rows are in otel_spans) over HTTP, protobuf batches of 512 spans from
 * several concurrent clients, beside its peer measured in the same run on the same PostgreSQL: the
 * same spans inserted by a bare node-postgres multi-row INSERT loop with as many connections. The
 * ratio is the ingest's overhead over the database's own write speed. Target: ≥ 20,000 spans/s.
 *
 *   npm run bench:otlp                      (embedded PostgreSQL, or DATABASE_URL's server)
 *   SPANS=100000 CLIENTS=4 npm run bench:otlp
 *
 * The log-search benchmark is bench/otlp-log-search.ts (a separate script).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import generated from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import pg from 'pg';
import { createHttp, createResources } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ensureEnvironment } from '../src/modules/deploy/environment-store.ts';
import { bootstrapAdmin } from '../src/modules/identity/index.ts';
import { ensureIngestToken } from '../src/modules/observability/ingest/ingest-tokens.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { benchPostgres, freshDatabase, quiet } from './queue-support.ts';

const BATCH = 512;
const TOTAL = Number(process.env.SPANS ?? 60_000);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const TOKEN = 'orch_benchbenchbenchbenchbenchbench01';

interface BenchSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: number } }[];
  status: { code: number };
}

/** A batch like a small web app's: a server span and its children, HTTP and DB attributes. */
function makeBatch(): BenchSpan[] {
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceId = randomBytes(16);
  return Array.from({ length: BATCH }, (_, i) => ({
    traceId: i % 8 === 0 ? randomBytes(16) : traceId,
    spanId: randomBytes(8),
    parentSpanId: randomBytes(8),
    name: i % 8 === 0 ? 'GET /api/items/:id' : 'SELECT items',
    kind: i % 8 === 0 ? 2 : 3,
    startTimeUnixNano: String(now + BigInt(i) * 1000n),
    endTimeUnixNano: String(now + BigInt(i) * 1000n + 250_000n),
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.route', value: { stringValue: '/api/items/:id' } },
      { key: 'http.response.status_code', value: { intValue: 200 } },
      { key: 'db.query.text', value: { stringValue: 'SELECT * FROM items WHERE id = $1' } },
    ],
    status: { code: 0 },
  }));
}

const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'bench-app' } }] };
const batches = Array.from({ length: 8 }, makeBatch);
// biome-ignore lint/suspicious/noExplicitAny: the generated root's typings say only Root
const Request = (generated as any).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const bodies = batches.map((spans) =>
  Buffer.from(
    Request.encode(Request.fromObject({ resourceSpans: [{ resource, scopeSpans: [{ spans }] }] })).finish(),
  ),
);

async function inParallel(n: number, work: (client: number) => Promise<void>) {
  await Promise.all(Array.from({ length: n }, (_, c) => work(c)));
}

const pgServer = await benchPostgres(process.env.DATABASE_URL);
const database = await freshDatabase(pgServer.adminUrl, 'orchard_bench_otlp');
const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-otlp-'));
try {
  const config = loadConfig({
    env: {},
    cwd: home,
    flags: { home, databaseUrl: database.url, logLevel: 'warn', 'telemetry.writers': CLIENTS },
  });
  const res = await createResources(config, database.url, { logger: quiet });
  await migrate(res.db);
  await bootstrapAdmin(res.db, res.clock, quiet, TOKEN);
  const http = await createHttp(res, { webRoot: path.join(home, 'no-web') });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as { port: number }).port}`;
  const created = await fetch(`${base}/api/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', slug: 'bench' }),
  });
  const project = (await created.json()) as { id: string };
  const environment = await ensureEnvironment(res.db, {
    projectId: project.id,
    name: 'staging',
    kind: 'staging',
    branch: null,
    hostLabel: 'staging--bench',
    now: new Date(),
  });
  const tenant = { environmentId: environment.id, projectId: project.id };
  const auth = `Bearer ${await ensureIngestToken({ db: res.db, vault: res.vault }, tenant)}`;
  const rounds = Math.ceil(TOTAL / BATCH / CLIENTS);

  // Orchard: HTTP, protobuf decode, rows, queue, unnest INSERT, answer after commit.
  const send = async (body: Buffer) => {
    const r = await fetch(`${base}/otlp/v1/traces`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(body),
    });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`ingest answered ${r.status}`);
  };
  await send(bodies[0]!);
  let t0 = performance.now();
  await inParallel(CLIENTS, async (c) => {
    for (let i = 0; i < rounds; i++) await send(bodies[(c + i) % bodies.length]!);
  });
  const ingestSeconds = (performance.now() - t0) / 1000;
  const ingested = rounds * CLIENTS * BATCH;

  // Peer: the same rows by a bare multi-row INSERT per batch, one connection per client.
  const columns =
    'environment_id, project_id, trace_id, span_id, parent_span_id, name, kind, service_name, start_time, end_time, duration_ns, status_code, status_message, attributes, resource, events, source';
  const peerRows = batches.map((spans) =>
    spans.map((s) => {
      const start = BigInt(s.startTimeUnixNano);
      const end = BigInt(s.endTimeUnixNano);
      const attributes = Object.fromEntries(
        s.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue]),
      );
      return [
        tenant.environmentId,
        tenant.projectId,
        s.traceId.toString('hex'),
        s.spanId.toString('hex'),
        s.parentSpanId.toString('hex'),
        s.name,
        s.kind,
        'bench-app',
        new Date(Number(start / 1_000_000n)).toISOString(),
        new Date(Number(end / 1_000_000n)).toISOString(),
        String(end - start),
        0,
        '',
        JSON.stringify(attributes),
        JSON.stringify({ 'service.name': 'bench-app' }),
        '[]',
        'app',
      ];
    }),
  );
  const placeholders = peerRows[0]!
    .map((_, r) => `(${Array.from({ length: 17 }, (_, c) => `$${r * 17 + c + 1}`).join(', ')})`)
    .join(', ');
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return client;
    }),
  );
  t0 = performance.now();
  await inParallel(CLIENTS, async (c) => {
    for (let i = 0; i < rounds; i++)
      await clients[c]!.query(
        `INSERT INTO otel_spans (${columns}) VALUES ${placeholders}`,
        peerRows[(c + i) % peerRows.length]!.flat(),
      );
  });
  const peerSeconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.end()));

  const ingestRate = ingested / ingestSeconds;
  const peerRate = ingested / peerSeconds;
  console.log(
    `OTLP span ingest, ${ingested} spans in batches of ${BATCH}, ${CLIENTS} clients (${pgServer.kind})`,
  );
  console.log(
    `  Orchard /otlp/v1/traces (protobuf, HTTP, committed)  ${Math.round(ingestRate).toLocaleString('en')} spans/s`,
  );
  console.log(
    `  bare node-postgres multi-row INSERT                   ${Math.round(peerRate).toLocaleString('en')} spans/s`,
  );
  console.log(
    `  ratio (peer / Orchard): ${(peerRate / ingestRate).toFixed(2)}×; target ≥ 20,000 spans/s: ${ingestRate >= 20_000 ? 'met' : 'NOT met'}`,
  );
  await http.close();
  await res.telemetry.close();
  await res.bus.close();
  await res.db.end();
} finally {
  await database.drop().catch(() => undefined);
  await pgServer.stop();
  await rm(home, { recursive: true, force: true });
}
