import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TracedSpan, Tracing } from '../tracing.ts';

interface RequestTrace extends TracedSpan {
  error?: Error;
  ended: boolean;
}

const TRACE = Symbol('orchard.requestTrace');
type TracedRequest = FastifyRequest & { [TRACE]?: RequestTrace };

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * A SERVER span per request, named `METHOD route`: the child of an incoming W3C `traceparent`, with
 * the HTTP semantic attributes, the status, and an error on 5xx. The handler runs in the span's
 * context, so whatever it starts (operations, git, LLM calls) belongs to it: the later hooks run
 * inside the context entered here, and Fastify's body parsing keeps it (an AsyncResource per
 * request). Registered only when tracing is on, and before every other hook.
 */
export function traceRequests(
  app: FastifyInstance,
  tracing: Tracing,
  options: { skip?: (request: FastifyRequest) => boolean } = {},
) {
  app.addHook('onRequest', (request, reply, done) => {
    if (options.skip?.(request)) return done();
    const route = request.routeOptions.url;
    const userAgent = request.headers['user-agent'];
    const started = tracing.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0],
          'url.scheme': request.protocol,
          ...(route ? { 'http.route': route } : {}),
          'client.address': request.ip,
          ...(userAgent ? { 'user_agent.original': userAgent } : {}),
          'orchard.request_id': request.id,
        },
      },
      tracing.extract(header(request.headers.traceparent), header(request.headers.tracestate)),
    );
    const traced: RequestTrace = { ...started, ended: false };
    (request as TracedRequest)[TRACE] = traced;
    // A client that goes away mid-response gets no onResponse; the span still ends.
    reply.raw.once('close', () => end(traced, reply.raw.statusCode));
    context.with(started.context, done);
  });
  app.addHook('onError', (request, _reply, error, done) => {
    const traced = (request as TracedRequest)[TRACE];
    if (traced) traced.error = error;
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const traced = (request as TracedRequest)[TRACE];
    if (traced) end(traced, reply.statusCode);
    done();
  });
}

function end(traced: RequestTrace, status: number) {
  if (traced.ended) return;
  traced.ended = true;
  const { span, error } = traced;
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) {
    span.setAttribute('error.type', error?.name && error.name !== 'Error' ? error.name : String(status));
    if (error) span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error.message } : {}) });
  }
  span.end();
}
