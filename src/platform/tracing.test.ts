import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { traceRequests } from './http/request-spans.ts';
import { createLogger } from './log.ts';
import {
  currentTrace,
  startChildSpan,
  startTracing,
  TRACING_OFF,
  type Tracing,
  traceEnv,
  traceparentOf,
  withChildSpan,
} from './tracing.ts';

const logger = createLogger({ level: 'silent' });
const INCOMING_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_SPAN = '00f067aa0ba902b7';
const incoming = `00-${INCOMING_TRACE}-${INCOMING_SPAN}-01`;

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing off (no OTLP endpoint)', () => {
  it('loads nothing and keeps no context: the no-op tracer, no TRACEPARENT, no current trace', async () => {
    const tracing = await startTracing({ logger });
    expect(tracing).toBe(TRACING_OFF);
    expect(tracing.enabled).toBe(false);
    const { span, context: ctx } = tracing.startSpan('anything');
    expect(span.isRecording()).toBe(false);
    expect(ctx).toBe(context.active());
    context.with(ctx, () => {
      expect(startChildSpan('child')).toBeUndefined();
      expect(traceEnv()).toEqual({});
      expect(currentTrace()).toBeUndefined();
    });
    // An incoming header is not even parsed.
    expect(trace.getSpanContext(tracing.extract(incoming))).toBeUndefined();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(async () => {
    tracing = await startTracing({ logger, spanProcessor: new SimpleSpanProcessor(exporter) });
  });
  afterAll(() => tracing.shutdown());
  afterEach(() => exporter.reset());

  it('reads and writes W3C traceparent: an extracted parent is continued, its children pass it on', () => {
    const parent = tracing.extract(incoming);
    expect(trace.getSpanContext(parent)).toMatchObject({
      traceId: INCOMING_TRACE,
      spanId: INCOMING_SPAN,
      isRemote: true,
    });
    const { span, context: ctx } = tracing.startSpan('work', {}, parent);
    expect(span.spanContext().traceId).toBe(INCOMING_TRACE);
    expect(traceparentOf(ctx)).toBe(`00-${INCOMING_TRACE}-${span.spanContext().spanId}-01`);
    context.with(ctx, () => {
      expect(currentTrace()).toEqual({ traceId: INCOMING_TRACE, traceparent: traceparentOf(ctx) });
      expect(traceEnv()).toEqual({ TRACEPARENT: traceparentOf(ctx) });
    });
    span.end();
    expect(parentOf(exporter.getFinishedSpans()[0]!)).toBe(INCOMING_SPAN);
    // Malformed or absent: a new trace.
    for (const bad of ['00-nothex-00f067aa0ba902b7-01', undefined]) {
      expect(trace.getSpanContext(tracing.extract(bad))).toBeUndefined();
      const fresh = tracing.startSpan('fresh', {}, tracing.extract(bad));
      expect(fresh.span.spanContext().traceId).not.toBe(INCOMING_TRACE);
      fresh.span.end();
    }
  });

  it('gives a child process TRACEPARENT naming its span, across awaits', async () => {
    const root = tracing.startSpan('root', {}, tracing.extract(incoming));
    const seen = await context.with(root.context, () =>
      withChildSpan('run node', {}, async (span) => {
        await new Promise((r) => setTimeout(r, 1));
        const out = await printEnv(traceEnv());
        return { out, spanId: span.spanContext().spanId };
      }),
    );
    root.span.end();
    expect(seen.out).toBe(`00-${INCOMING_TRACE}-${seen.spanId}-01`);
    const run = exporter.getFinishedSpans().find((s) => s.name === 'run node')!;
    expect(parentOf(run)).toBe(root.span.spanContext().spanId);
  });

  it('exports over OTLP/HTTP to the configured endpoint', async () => {
    const received: Array<{ path: string; body: Buffer }> = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = collector.address() as AddressInfo;
      const otlp = await startTracing({ logger, endpoint: `http://127.0.0.1:${port}/` });
      otlp.tracer('orchard.llm').startSpan('chat claude-sonnet-4-5').end();
      await otlp.shutdown();
      const traces = received.find((r) => r.path === '/v1/traces');
      expect(traces?.body.toString('latin1')).toContain('chat claude-sonnet-4-5');
    } finally {
      await new Promise<void>((r) => collector.close(() => r()));
    }
  });
});

describe('a span per HTTP request', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  const app = Fastify();
  let base: string;
  /** Requests (by x-part header) whose body the server has started to read. */
  const parsing = new Map<string, () => void>();

  async function postInTwoParts(url: string, body: string, headers: Record<string, string>) {
    const id = String(parsing.size);
    const started = new Promise<void>((resolve) => parsing.set(id, resolve));
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          ...headers,
          'x-part': id,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.write(body.slice(0, 10));
      void started.then(() => req.end(body.slice(10)));
    });
  }
  beforeAll(async () => {
    tracing = await startTracing({ logger, spanProcessor: new SimpleSpanProcessor(exporter) });
    traceRequests(app, tracing);
    app.addHook('preParsing', (request, _reply, payload, done) => {
      parsing.get(request.headers['x-part'] as string)?.();
      done(null, payload);
    });
    // What a handler starts after its body was parsed belongs to the request's span.
    app.post('/api/things/:id', async (request) => {
      const child = startChildSpan('inside the handler')!;
      child.span.end();
      return { env: traceEnv(), body: request.body };
    });
    app.get('/boom', async () => {
      throw new Error('kaput');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await tracing.shutdown();
  });
  afterEach(() => exporter.reset());

  it('continues an incoming traceparent: the request span is its child and the handler runs inside it', async () => {
    // A body still arriving after the hooks ran is read in the socket's callbacks: the second half
    // is sent only once the server is reading the first. The handler still runs in the span.
    const res = await postInTwoParts(
      `${base}/api/things/42?x=1`,
      JSON.stringify({ a: 1, pad: 'x'.repeat(100) }),
      {
        traceparent: incoming,
        'user-agent': 'test-agent',
      },
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { env: Record<string, string> };
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /api/things/:id')!;
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.spanContext().traceId).toBe(INCOMING_TRACE);
    expect(parentOf(request)).toBe(INCOMING_SPAN);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/things/:id',
      'url.path': '/api/things/42',
      'http.response.status_code': 200,
      'user_agent.original': 'test-agent',
    });
    expect(request.status.code).not.toBe(SpanStatusCode.ERROR);
    const inside = spans.find((s) => s.name === 'inside the handler')!;
    expect(parentOf(inside)).toBe(request.spanContext().spanId);
    expect(body.env).toEqual({
      TRACEPARENT: `00-${INCOMING_TRACE}-${request.spanContext().spanId}-01`,
    });
  });

  it('starts a trace without a header, and marks a 5xx as an error', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /boom');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'kaput' });
    expect(span?.attributes['http.response.status_code']).toBe(500);
  });
});

function printEnv(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write(process.env.TRACEPARENT ?? "")'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}
