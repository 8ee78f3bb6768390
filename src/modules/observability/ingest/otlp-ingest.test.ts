import { gzipSync } from 'node:zlib';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestFixture, ingestFixture } from './ingest-fixture.test-support.ts';
import { encodeResponse } from './otlp-codec.ts';

let f: IngestFixture;
beforeAll(async () => {
  f = await ingestFixture();
});
afterAll(async () => {
  await f?.close();
});

const resource = resourceFromAttributes({ 'service.name': 'shop-api', 'deployment.environment': 'staging' });

/** Spans made by the SDK, finished, ready for an exporter. */
function makeSpans(tag: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('test');
  const parent = tracer.startSpan(`GET /items ${tag}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.route': '/items',
      'http.response.status_code': 500,
      'test.tag': tag,
      flag: true,
      ratio: 0.25,
      tags: ['a', 'b'],
    },
  });
  parent.addEvent('exception', { 'exception.type': 'TypeError', 'exception.message': 'boom' });
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  const child = tracer.startSpan(
    `SELECT items ${tag}`,
    { kind: SpanKind.CLIENT },
    trace.setSpan(context.active(), parent),
  );
  child.end();
  parent.end();
  return memory.getFinishedSpans();
}

function exportWith<T>(
  exporter: { export(items: T, cb: (r: { code: number; error?: Error }) => void): void },
  items: T,
) {
  return new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(items, resolve));
}

const headers = () => ({ authorization: `Bearer ${f.token}` });

async function spansTagged(tag: string) {
  const { rows } = await f.t.res.db.query(
    `SELECT * FROM otel_spans WHERE attributes->>'test.tag' = $1 OR name LIKE '%' || $1 ORDER BY kind`,
    [tag],
  );
  return rows;
}

describe('OTLP ingest with the official OpenTelemetry exporters', () => {
  for (const [label, make] of [
    ['protobuf', (url: string) => new ProtoTraceExporter({ url, headers: headers() })],
    [
      'protobuf+gzip',
      (url: string) => new ProtoTraceExporter({ url, headers: headers(), compression: 'gzip' as never }),
    ],
    ['JSON', (url: string) => new JsonTraceExporter({ url, headers: headers() })],
    [
      'JSON+gzip',
      (url: string) => new JsonTraceExporter({ url, headers: headers(), compression: 'gzip' as never }),
    ],
  ] as const) {
    it(`stores spans sent as ${label}, tagged with the token's environment`, async () => {
      const tag = label.replace(/\W/g, '');
      const spans = makeSpans(tag);
      const result = await exportWith(make(`${f.base}/otlp/v1/traces`), spans);
      expect(result.error).toBeUndefined();
      expect(result.code).toBe(0);
      const rows = await spansTagged(tag);
      expect(rows).toHaveLength(2);
      const [server, client] = rows;
      const sent = spans.find((s) => s.kind === SpanKind.SERVER)!;
      expect(server).toMatchObject({
        environment_id: f.tenant.environmentId,
        project_id: f.tenant.projectId,
        trace_id: sent.spanContext().traceId,
        span_id: sent.spanContext().spanId,
        parent_span_id: null,
        name: `GET /items ${tag}`,
        kind: 2,
        service_name: 'shop-api',
        status_code: 2,
        status_message: 'boom',
        source: 'app',
        attributes: {
          'http.route': '/items',
          'http.response.status_code': 500,
          'test.tag': tag,
          flag: true,
          ratio: 0.25,
          tags: ['a', 'b'],
        },
      });
      expect(server.resource).toMatchObject({
        'service.name': 'shop-api',
        'deployment.environment': 'staging',
      });
      expect(server.events).toEqual([
        {
          name: 'exception',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          attributes: { 'exception.type': 'TypeError', 'exception.message': 'boom' },
        },
      ]);
      const ns = BigInt(sent.duration[0]) * 1_000_000_000n + BigInt(sent.duration[1]);
      expect(BigInt(server.duration_ns)).toBe(ns);
      expect(client).toMatchObject({
        kind: 3,
        parent_span_id: sent.spanContext().spanId,
        trace_id: server.trace_id,
      });
    });
  }

  for (const [label, make] of [
    [
      'protobuf+gzip',
      (url: string) => new ProtoLogExporter({ url, headers: headers(), compression: 'gzip' as never }),
    ],
    ['JSON', (url: string) => new JsonLogExporter({ url, headers: headers() })],
  ] as const) {
    it(`stores log records sent as ${label}, linked to their trace`, async () => {
      const memory = new InMemoryLogRecordExporter();
      const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor(memory)] });
      const tag = `log-${label.replace(/\W/g, '')}`;
      const [span] = makeSpans(tag);
      provider.getLogger('test').emit({
        severityNumber: SeverityNumber.ERROR,
        severityText: 'ERROR',
        body: `request failed ${tag}`,
        attributes: { 'exception.type': 'TypeError', 'test.tag': tag, big: (2n ** 60n) as never },
        context: trace.setSpanContext(ROOT_CONTEXT, span!.spanContext()),
      });
      provider
        .getLogger('test')
        .emit({ body: { structured: tag, n: 1 } as never, attributes: { 'test.tag': tag } });
      const records = memory.getFinishedLogRecords() as ReadableLogRecord[];
      const result = await exportWith(make(`${f.base}/otlp/v1/logs`), records);
      expect(result.error).toBeUndefined();
      const { rows } = await f.t.res.db.query(
        `SELECT * FROM otel_logs WHERE attributes->>'test.tag' = $1 ORDER BY severity_number DESC`,
        [tag],
      );
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        environment_id: f.tenant.environmentId,
        project_id: f.tenant.projectId,
        severity_number: 17,
        severity_text: 'ERROR',
        body: `request failed ${tag}`,
        service_name: 'shop-api',
        trace_id: span!.spanContext().traceId,
        span_id: span!.spanContext().spanId,
      });
      expect(rows[0].attributes['exception.type']).toBe('TypeError');
      expect(JSON.parse(rows[1].body)).toEqual({ structured: tag, n: 1 });
      expect(rows[1].trace_id).toBeNull();
    });
  }

  for (const [label, make] of [
    ['protobuf', (url: string) => new ProtoMetricExporter({ url, headers: headers() })],
    [
      'JSON+gzip',
      (url: string) => new JsonMetricExporter({ url, headers: headers(), compression: 'gzip' as never }),
    ],
  ] as const) {
    it(`stores metric points sent as ${label}: sums, gauges, histograms`, async () => {
      class Reader extends MetricReader {
        protected async onShutdown() {}
        protected async onForceFlush() {}
      }
      const reader = new Reader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
      const provider = new MeterProvider({ resource, readers: [reader] });
      const meter = provider.getMeter('test');
      const tag = label.replace(/\W/g, '');
      meter
        .createCounter(`requests_${tag}`, { unit: '1', description: 'requests served' })
        .add(3, { route: '/' });
      meter
        .createHistogram(`latency_${tag}`, { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } })
        .record(42);
      meter.createGauge(`queue_${tag}`).record(7.5);
      const { resourceMetrics } = await reader.collect();
      const result = await exportWith(make(`${f.base}/otlp/v1/metrics`), resourceMetrics);
      expect(result.error).toBeUndefined();
      const { rows } = await f.t.res.db.query(
        `SELECT * FROM otel_metric_points WHERE name LIKE '%' || $1 ORDER BY name`,
        [`_${tag}`],
      );
      const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
      expect(byName[`requests_${tag}`]).toMatchObject({
        kind: 'sum',
        monotonic: true,
        temporality: 2,
        value: 3,
        unit: '1',
        description: 'requests served',
        attributes: { route: '/' },
        service_name: 'shop-api',
        environment_id: f.tenant.environmentId,
      });
      expect(byName[`latency_${tag}`]).toMatchObject({
        kind: 'histogram',
        count: 1,
        sum: 42,
        min: 42,
        max: 42,
        bucket_counts: ['0', '1', '0'],
        explicit_bounds: [10, 100],
      });
      expect(byName[`queue_${tag}`]).toMatchObject({ kind: 'gauge', value: 7.5 });
    });
  }
});

describe('OTLP/HTTP answers', () => {
  const traceBody = (spans: unknown[]) => ({
    resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }],
  });
  const goodSpan = (name: string) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name,
    kind: 2,
    startTimeUnixNano: '1764950000000000000',
    endTimeUnixNano: '1764950000001500000',
    attributes: [
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'small', value: { intValue: '42' } },
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      {
        key: 'nested',
        value: { kvlistValue: { values: [{ key: 'a', value: { stringValue: 'x\u0000y' } }] } },
      },
    ],
  });

  it('401 problem+json without a token or with a wrong one; nothing stored', async () => {
    for (const auth of [{}, { authorization: 'Bearer oit_wrong' }, { 'x-orchard-ingest-token': 'nope' }]) {
      const r = await f.t.http.inject({
        method: 'POST',
        url: '/otlp/v1/traces',
        headers: { 'content-type': 'application/json', ...auth },
        payload: traceBody([goodSpan('unauthorized')]),
      });
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toContain('ingest token');
    }
    expect(await spansTagged('unauthorized')).toHaveLength(0);
  });

  it('accepts the x-orchard-ingest-token header; keeps big integers, bytes and kvlists', async () => {
    const r = await f.t.http.inject({
      method: 'POST',
      url: '/otlp/v1/traces',
      headers: { 'content-type': 'application/json', 'x-orchard-ingest-token': f.token },
      payload: traceBody([goodSpan('header-token')]),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({});
    const [row] = await spansTagged('header-token');
    expect(row.attributes).toEqual({
      big: '9007199254740993',
      small: 42,
      bytes: 'AQID',
      nested: { a: 'xy' },
    });
    expect(Number(row.duration_ns)).toBe(1_500_000);
    expect(row.start_time.toISOString()).toBe('2025-12-05T15:53:20.000Z');
  });

  it('answers partialSuccess for refused spans and stores the rest (JSON and protobuf responses)', async () => {
    const body = traceBody([goodSpan('partial'), { ...goodSpan('partial-bad'), traceId: '00' }]);
    const r = await f.t.http.inject({
      method: 'POST',
      url: '/otlp/v1/traces',
      headers: { 'content-type': 'application/json', ...headers() },
      payload: body,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      partialSuccess: { rejectedSpans: 1, errorMessage: expect.stringContaining('traceId') },
    });
    expect(await spansTagged('partial')).toHaveLength(1);
    // The protobuf encoding of the same answer.
    expect(Buffer.from(encodeResponse('traces', 1, 'x')).length).toBeGreaterThan(2);
  });

  it('415 for other content types or encodings, 400 for bytes that are not OTLP, 413 past the limit', async () => {
    const post = (h: Record<string, string>, payload: Buffer | string) =>
      f.t.http.inject({ method: 'POST', url: '/otlp/v1/logs', headers: { ...headers(), ...h }, payload });
    expect((await post({ 'content-type': 'text/plain' }, 'hi')).statusCode).toBe(415);
    expect(
      (await post({ 'content-type': 'application/json', 'content-encoding': 'br' }, '{}')).statusCode,
    ).toBe(415);
    const junk = await post(
      { 'content-type': 'application/x-protobuf' },
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
    );
    expect(junk.statusCode).toBe(400);
    expect(junk.headers['content-type']).toContain('application/problem+json');
    const notGzip = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{}');
    expect(notGzip.statusCode).toBe(400);
    const limit = f.t.config.telemetry.bodyLimitBytes;
    const bomb = gzipSync(Buffer.alloc(limit + 10, 0x20));
    const big = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb);
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain(`${limit} bytes`);
    const raw = await post({ 'content-type': 'application/json' }, ' '.repeat(limit + 10));
    expect(raw.statusCode).toBe(413);
    expect(raw.json().detail).toContain('smaller batches');
  });
});
