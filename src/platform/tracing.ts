import {
  type Context,
  context,
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from './log.ts';
import { holdAsyncContext } from './tracing-context.ts';

/**
 * Tracing for the whole process: one tracer provider, spans exported over OTLP/HTTP. Off (no
 * endpoint), nothing of the SDK is loaded, every tracer is the no-op one and no context is kept.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** A tracer of the process's provider, named after the code that makes the spans. */
  tracer(scope: string): Tracer;
  /** Starts a span under `parent` (default: the active context); run its work in `context`. */
  startSpan(name: string, options?: SpanOptions, parent?: Context): TracedSpan;
  /** The context a W3C `traceparent` (and `tracestate`) names; the root context when absent or malformed. */
  extract(traceparent: string | null | undefined, tracestate?: string): Context;
  /** Exports the spans still batched and stops. */
  shutdown(): Promise<void>;
}

export interface TracedSpan {
  span: Span;
  /** The parent context with this span active (and the tracing that made it, for its children). */
  context: Context;
}

/** No provider registered: the API's no-op tracer. */
const noopTracer = trace.getTracerProvider().getTracer('orchard');
const noopSpan = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const TRACING_OFF: Tracing = {
  enabled: false,
  tracer: () => noopTracer,
  startSpan: (_name, _options, parent = context.active()) => ({ span: noopSpan, context: parent }),
  extract: () => ROOT_CONTEXT,
  shutdown: async () => {},
};

export interface TracingOptions {
  /** OTLP/HTTP base URL (config `otlpEndpoint`); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Where spans go instead (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessor?: SpanProcessor;
  /**
   * Processors that keep spans in this process besides any export (Orchard's spans about an
   * environment, stored with the app's telemetry): tracing is on whenever there are some.
   */
  localProcessors?: SpanProcessor[];
  serviceName?: string;
  logger: Pick<Logger, 'warn'>;
}

/** What a context carries so that code deep below (git, subprocesses) can add child spans. */
interface Carried {
  tracer: Tracer;
  propagator: TextMapPropagator;
}
const CARRIED = createContextKey('orchard.tracing');

/** Loads the SDK only when spans have somewhere to go. */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.endpoint && !options.spanProcessor && !options.localProcessors?.length) return TRACING_OFF;
  const [base, core, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  let processor = options.spanProcessor;
  if (!processor && options.endpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = `${options.endpoint.replace(/\/$/, '')}/v1/traces`;
    processor = new base.BatchSpanProcessor(new OTLPTraceExporter({ url }));
  }
  const provider = new base.BasicTracerProvider({
    // The pid tells the processes of a scaled install apart (API replicas, workers).
    resource: resources.resourceFromAttributes({
      'service.name': options.serviceName ?? 'orchard',
      'process.pid': process.pid,
    }),
    spanProcessors: [...(processor ? [processor] : []), ...(options.localProcessors ?? [])],
  });
  const carried: Carried = {
    tracer: provider.getTracer('orchard'),
    propagator: new core.W3CTraceContextPropagator(),
  };
  const release = holdAsyncContext();
  return {
    enabled: true,
    tracer: (scope) => provider.getTracer(scope),
    startSpan: (name, spanOptions, parent = context.active()) => startIn(carried, name, spanOptions, parent),
    extract(traceparent, tracestate) {
      const root = ROOT_CONTEXT.setValue(CARRIED, carried);
      if (!traceparent) return root;
      const carrier = { traceparent, ...(tracestate ? { tracestate } : {}) };
      return carried.propagator.extract(root, carrier, defaultTextMapGetter);
    },
    async shutdown() {
      release();
      await provider
        .shutdown()
        .catch((error: Error) => options.logger.warn({ err: error }, 'exporting spans failed'));
    },
  };
}

function startIn(
  carried: Carried,
  name: string,
  options: SpanOptions | undefined,
  parent: Context,
): TracedSpan {
  const span = carried.tracer.startSpan(name, options, parent);
  return { span, context: trace.setSpan(parent.setValue(CARRIED, carried), span) };
}

/**
 * A child of the active span, made by the tracing that made that span; undefined outside a trace
 * (and always when tracing is off). For code that knows only what it runs (git, a sandboxed command).
 */
export function startChildSpan(name: string, options?: SpanOptions): TracedSpan | undefined {
  const active = context.active();
  const carried = active.getValue(CARRIED) as Carried | undefined;
  if (!carried || !trace.getSpan(active)) return undefined;
  return startIn(carried, name, options, active);
}

/** The W3C `traceparent` of a context's span (default: the active one), if it is in a trace. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carried = ctx.getValue(CARRIED) as Carried | undefined;
  if (!carried) return undefined;
  const carrier: Record<string, string> = {};
  carried.propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** `{ TRACEPARENT }` for a child process's environment, so what it traces joins the trace; else `{}`. */
export function traceEnv(ctx: Context = context.active()): Record<string, string> {
  const traceparent = traceparentOf(ctx);
  return traceparent ? { TRACEPARENT: traceparent } : {};
}

/** The trace the active span belongs to, to be continued later (an operation's steps). */
export function currentTrace(): { traceId: string; traceparent: string } | undefined {
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const traceparent = traceparentOf(active);
  return traceparent ? { traceId: spanContext.traceId, traceparent } : undefined;
}

/**
 * `fn` bound to run outside any trace: for callbacks of a long-lived connection that a traced
 * request happened to open (they would otherwise run in that request's context for good).
 */
export function outsideTrace<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return context.bind(ROOT_CONTEXT, fn);
}

/** Runs `fn` with `ctx` active. */
export function inContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/**
 * Runs `fn` in a child span of the active one; outside a trace it just runs it (with a no-op span).
 * The span fails when `fn` throws, or when it calls `failSpan`.
 */
export async function withChildSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const traced = startChildSpan(name, options);
  if (!traced) return fn(noopSpan);
  try {
    const result = await context.with(traced.context, () => fn(traced.span));
    traced.span.end();
    return result;
  } catch (error) {
    endSpan(traced.span, error);
    throw error;
  }
}

/** Marks a span failed (an exit code, an unhealthy app: failures that are results, not throws). */
export function failSpan(span: Span, error: unknown) {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttribute('error.type', e.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/** Ends a span, marking it failed when `error` is given. */
export function endSpan(span: Span, error?: unknown) {
  if (error !== undefined) failSpan(span, error);
  span.end();
}

/** The attributes that say which deployed environment (and project) an Orchard span is about. */
export const ENVIRONMENT_SPAN_ATTRIBUTE = 'orchard.environment_id';
export const PROJECT_SPAN_ATTRIBUTE = 'orchard.project.id';

/**
 * Marks the active span (a step's, a request's) as about an environment: it is then stored with the
 * environment's telemetry, and so are the spans started under it in this process.
 */
export function markSpanEnvironment(environment: { id: string; projectId: string }) {
  trace.getActiveSpan()?.setAttributes({
    [ENVIRONMENT_SPAN_ATTRIBUTE]: environment.id,
    [PROJECT_SPAN_ATTRIBUTE]: environment.projectId,
  });
}
