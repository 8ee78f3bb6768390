/**
 * Traces and logs over OTLP/JSON, with no dependency: a server span per request, a log record per
 * request (carrying its trace and span ids), an error record with exception.* attributes when a
 * request fails, and the browser's errors forwarded by /__telemetry/errors. Only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (Orchard sets it, with OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_SERVICE_NAME). Records are batched and posted in the background: a slow or absent collector
 * never blocks a request, and nothing here throws into the app.
 */
import { randomBytes } from 'node:crypto';

const ENDPOINT = (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').replace(/\/+$/, '');
const SERVICE = process.env.OTEL_SERVICE_NAME || 'app';
const MAX_QUEUED = 2048;
const BATCH = 512;
const EVERY_MS = 1000;

/** `key=value,key2=value2`, values percent-encoded (the OpenTelemetry spec's form). */
function parseHeaders(text) {
  const headers = {};
  for (const pair of String(text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at < 1) continue;
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed header is left out rather than stopping the app.
    }
  }
  return headers;
}

const HEADERS = {
  'content-type': 'application/json',
  ...parseHeaders(process.env.OTEL_EXPORTER_OTLP_HEADERS),
};
const RESOURCE = {
  attributes: [
    { key: 'service.name', value: { stringValue: SERVICE } },
    ...(process.env.ORCHARD_COMMIT_SHA
      ? [{ key: 'service.version', value: { stringValue: process.env.ORCHARD_COMMIT_SHA } }]
      : []),
  ],
};

export const telemetryEnabled = ENDPOINT !== '';

const spans = [];
const logs = [];
let timer;

function value(v) {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: String(v) };
}

function attributes(object) {
  return Object.entries(object)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: value(v) }));
}

const nowNanos = () => String(BigInt(Date.now()) * 1_000_000n);

function enqueue(list, item) {
  if (!telemetryEnabled) return;
  if (list.length >= MAX_QUEUED) list.shift();
  list.push(item);
  if (list.length >= BATCH) void flushTelemetry();
  else if (!timer) {
    timer = setTimeout(() => {
      timer = undefined;
      void flushTelemetry();
    }, EVERY_MS);
    timer.unref();
  }
}

async function post(path, body) {
  try {
    const response = await fetch(`${ENDPOINT}${path}`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await response.arrayBuffer();
  } catch {
    // Telemetry is best effort: the records of this batch are dropped.
  }
}

/** Sends what is queued; resolves when sent (or given up). */
export async function flushTelemetry() {
  if (!telemetryEnabled) return;
  const s = spans.splice(0, spans.length);
  const l = logs.splice(0, logs.length);
  const sends = [];
  if (s.length)
    sends.push(
      post('/v1/traces', {
        resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ scope: { name: 'app' }, spans: s }] }],
      }),
    );
  if (l.length)
    sends.push(
      post('/v1/logs', {
        resourceLogs: [{ resource: RESOURCE, scopeLogs: [{ scope: { name: 'app' }, logRecords: l }] }],
      }),
    );
  await Promise.all(sends);
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** Starts the server span of a request (continuing the caller's trace when it sent traceparent). */
export function startRequestSpan(req) {
  const parent = TRACEPARENT.exec(String(req.headers.traceparent ?? ''));
  return {
    traceId: parent ? parent[1] : randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: parent ? parent[2] : undefined,
    start: nowNanos(),
    events: [],
  };
}

function exceptionAttributes(error) {
  return {
    'exception.type': error?.name ?? 'Error',
    'exception.message': error?.message ?? String(error),
    'exception.stacktrace': error?.stack ?? '',
  };
}

/** Ends the request's span and writes its log record (and an error record when it failed). */
export function endRequestSpan(span, { method, path, route, status, error }) {
  if (!telemetryEnabled) return;
  const end = nowNanos();
  const failed = status >= 500;
  if (error && failed)
    span.events.push({
      name: 'exception',
      timeUnixNano: end,
      attributes: attributes(exceptionAttributes(error)),
    });
  const httpAttributes = {
    'http.request.method': method,
    'url.path': path,
    'http.route': route,
    'http.response.status_code': status,
  };
  enqueue(spans, {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: route ? `${method} ${route}` : method,
    kind: 2,
    startTimeUnixNano: span.start,
    endTimeUnixNano: end,
    attributes: attributes(httpAttributes),
    events: span.events,
    status: failed ? { code: 2, message: error?.message ?? `HTTP ${status}` } : { code: 0 },
  });
  const ms = Number(BigInt(end) - BigInt(span.start)) / 1e6;
  enqueue(logs, {
    timeUnixNano: end,
    severityNumber: failed ? 17 : status >= 400 ? 13 : 9,
    severityText: failed ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO',
    body: { stringValue: `${method} ${path} ${status} ${ms.toFixed(1)} ms` },
    attributes: attributes({ ...httpAttributes, ...(error && failed ? exceptionAttributes(error) : {}) }),
    traceId: span.traceId,
    spanId: span.spanId,
  });
}

const text = (v, max) => (typeof v === 'string' ? v.slice(0, max) : undefined);

/** A browser error the page posted to /__telemetry/errors, as an error log record. */
export function reportBrowserError(report) {
  if (!telemetryEnabled || typeof report !== 'object' || report === null) return;
  const message = text(report.message, 2000) ?? 'Unknown error';
  enqueue(logs, {
    timeUnixNano: nowNanos(),
    severityNumber: 17,
    severityText: 'ERROR',
    body: { stringValue: `Browser error: ${message}` },
    attributes: attributes({
      'exception.type': text(report.type, 200) ?? 'Error',
      'exception.message': message,
      'exception.stacktrace': text(report.stack, 10_000) ?? '',
      'url.full': text(report.url, 2000),
      'user_agent.original': text(report.userAgent, 500),
      'orchard.error.source': 'browser',
    }),
  });
}
