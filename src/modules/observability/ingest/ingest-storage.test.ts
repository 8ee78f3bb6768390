import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../test/support/until.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { createLogger } from '../../../platform/log.ts';
import type { SpanRow } from '../telemetry-rows.ts';
import { type IngestFixture, ingestFixture } from './ingest-fixture.test-support.ts';
import { ingestRoutes } from './ingest-routes.ts';
import { createIngestAuthenticator } from './ingest-tokens.ts';
import { maintainPartitions } from './maintain-partitions.ts';
import { orchardSpanProcessor } from './orchard-span-processor.ts';
import { dateOfNanos } from './otlp-values.ts';
import { partitionDays, TELEMETRY_TABLES } from './partition-store.ts';
import { TelemetryWriter } from './telemetry-writer.ts';

let f: IngestFixture;
beforeAll(async () => {
  f = await ingestFixture();
});
afterAll(async () => {
  await f?.close();
});

const DAY = 86_400_000;
const span = (at: Date, name: string): SpanRow => ({
  ...f.tenant,
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  parentSpanId: null,
  name,
  kind: 2,
  serviceName: 'svc',
  startTime: at,
  endTime: at,
  durationNs: 0,
  statusCode: 0,
  statusMessage: '',
  attributes: {},
  resource: {},
  events: [],
  source: 'app',
});

describe('the bounded queue', () => {
  it('429 with Retry-After when the queue is full; a 200 only after the rows are committed', async () => {
    const logger = createLogger({ level: 'silent' });
    // A writer that holds its database call until released: the queue fills behind it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const db = {
      query: async (text: string, values?: unknown[]) => {
        await held;
        return f.t.res.db.query(text, values);
      },
    };
    const writer = new TelemetryWriter({
      db: db as unknown as Queryable,
      logger,
      maxQueued: 3,
      concurrency: 1,
    });
    const app = Fastify();
    const { toProblem, sendProblem } = await import('../../../platform/http/problem.ts');
    app.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)));
    await app.register(
      ingestRoutes({
        clock: f.t.res.clock,
        writer,
        authenticate: createIngestAuthenticator(f.t.res.db),
        bodyLimitBytes: 1 << 20,
      }) as never,
    );
    const body = (name: string, n: number) => ({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: Array.from({ length: n }, (_, i) => ({
                traceId: 'c'.repeat(32),
                spanId: `${String(i + 1).padStart(16, '0')}`,
                name,
                startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
              })),
            },
          ],
        },
      ],
    });
    const post = (name: string, n: number) =>
      app.inject({
        method: 'POST',
        url: '/otlp/v1/traces',
        headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
        payload: body(name, n),
      });
    const first = post('queued-first', 2);
    await until(() => writer.depth === 2, 5_000, 'the first request queued');
    const refused = await post('queued-refused', 2);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const count = async (name: string) =>
      (await f.t.res.db.query('SELECT count(*)::int AS n FROM otel_spans WHERE name = $1', [name])).rows[0].n;
    expect(await count('queued-first')).toBe(0);
    release();
    const answered = await first;
    expect(answered.statusCode).toBe(200);
    // Answered means committed.
    expect(await count('queued-first')).toBe(2);
    expect(await count('queued-refused')).toBe(0);
    await app.close();
  });

  it('one bad request written with others fails alone', async () => {
    const logger = createLogger({ level: 'silent' });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const db = {
      query: async (text: string, values?: unknown[]) => {
        if (calls++ === 0) await held;
        return f.t.res.db.query(text, values);
      },
    };
    const writer = new TelemetryWriter({
      db: db as unknown as Queryable,
      logger,
      maxQueued: 100,
      concurrency: 1,
    });
    const now = new Date();
    const blocker = writer.writeSpans([span(now, 'blocker')]);
    const good = writer.writeSpans([span(now, 'good-neighbour')]);
    const bad = writer.writeSpans([{ ...span(now, 'bad'), environmentId: 'not-a-uuid' }]);
    release();
    await blocker;
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow(/uuid/);
    const { rows } = await f.t.res.db.query(
      "SELECT count(*)::int AS n FROM otel_spans WHERE name = 'good-neighbour'",
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('partition maintenance', () => {
  it('creates day partitions ahead, moves rows out of DEFAULT, drops days past the retention', async () => {
    const db = f.t.res.db;
    const today = new Date(Math.floor(Date.now() / DAY) * DAY);
    const old = new Date(today.getTime() - 10 * DAY + 3_600_000);
    const yesterday = new Date(today.getTime() - DAY + 60_000);
    // No partitions yet: both rows land in the default partition.
    await f.t.res.telemetry.writer.writeSpans([
      span(old, 'partition-old'),
      span(yesterday, 'partition-yesterday'),
    ]);
    await f.t.res.telemetry.writer.writeLogs([
      {
        ...f.tenant,
        time: yesterday,
        observedTime: null,
        severityNumber: 9,
        severityText: 'INFO',
        body: 'partition log',
        attributes: {},
        resource: {},
        serviceName: 'svc',
        traceId: null,
        spanId: null,
      },
    ]);
    const where = async (name: string) =>
      (await db.query(`SELECT tableoid::regclass::text AS t FROM otel_spans WHERE name = $1`, [name])).rows[0]
        ?.t;
    expect(await where('partition-yesterday')).toBe('otel_spans_default');

    // The old day first gets a partition (retention 30), the rows move with it.
    const clock = { now: () => new Date() };
    const first = await maintainPartitions({ db, clock }, { retentionDays: 30, daysAhead: 2 });
    const dayName = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
    expect(first.created).toEqual(
      expect.arrayContaining([
        `otel_spans_p${dayName(today)}`,
        `otel_spans_p${dayName(new Date(today.getTime() + 2 * DAY))}`,
        `otel_spans_p${dayName(new Date(today.getTime() - DAY))}`,
        `otel_logs_p${dayName(new Date(today.getTime() - DAY))}`,
        `otel_metric_points_p${dayName(today)}`,
      ]),
    );
    // Its three rows, and today's of the tests above.
    expect(first.moved).toBeGreaterThanOrEqual(3);
    expect(await where('partition-yesterday')).toBe(
      `otel_spans_p${dayName(new Date(today.getTime() - DAY))}`,
    );
    expect(await where('partition-old')).toBe(`otel_spans_p${dayName(new Date(old.getTime() - 3_600_000))}`);
    const logs = await db.query(
      "SELECT tableoid::regclass::text AS t, search::text FROM otel_logs WHERE body = 'partition log'",
    );
    expect(logs.rows[0].t).toBe(`otel_logs_p${dayName(new Date(today.getTime() - DAY))}`);
    expect(logs.rows[0].search).toContain('partition');

    // New rows for today go straight to today's partition.
    await f.t.res.telemetry.writer.writeSpans([span(new Date(), 'partition-today')]);
    expect(await where('partition-today')).toBe(`otel_spans_p${dayName(today)}`);

    // Again: nothing new to make; with a 7-day retention the old day is dropped with its rows.
    const second = await maintainPartitions({ db, clock }, { retentionDays: 7, daysAhead: 2 });
    expect(second.created).toEqual([]);
    expect(second.dropped).toEqual([`otel_spans_p${dayName(new Date(old.getTime() - 3_600_000))}`]);
    expect(await where('partition-old')).toBeUndefined();
    expect(await where('partition-yesterday')).toBeDefined();
    const days = await partitionDays(db, TELEMETRY_TABLES[0]!);
    expect(days.map(dayName)).toContain(dayName(today));
  });
});

describe("Orchard's own spans about an environment", () => {
  it('are stored with source orchard, children inheriting the environment', async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [orchardSpanProcessor(f.t.res.telemetry.writer, createLogger({ level: 'silent' }))],
    });
    const tracer = provider.getTracer('orchard');
    const api = await import('@opentelemetry/api');
    const launch = tracer.startSpan('deploy launch', {
      attributes: {
        'orchard.environment_id': f.tenant.environmentId,
        'orchard.project.id': f.tenant.projectId,
      },
    });
    const child = tracer.startSpan('health check', {}, api.trace.setSpan(api.context.active(), launch));
    child.end();
    launch.end();
    tracer.startSpan('unrelated').end();
    const rows = await until(async () => {
      const r = await f.t.res.db.query(
        `SELECT name, source, parent_span_id, trace_id FROM otel_spans WHERE source = 'orchard' ORDER BY name`,
      );
      return r.rows.length === 2 ? r.rows : undefined;
    });
    expect(rows.map((r) => r.name)).toEqual(['deploy launch', 'health check']);
    expect(rows[1].parent_span_id).toBe(launch.spanContext().spanId);
    expect(dateOfNanos(0n).getTime()).toBe(0);
  });
});
