import type { Context } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../../../platform/log.ts';
import { ENVIRONMENT_SPAN_ATTRIBUTE, PROJECT_SPAN_ATTRIBUTE } from '../../../platform/tracing.ts';
import type { SpanKindNumber, SpanRow, SpanStatusCode, TelemetryAttributes } from '../telemetry-rows.ts';
import { dateOfNanos, serviceNameOf } from './otlp-values.ts';
import type { TelemetryWriter } from './telemetry-writer.ts';

const nanosOf = ([seconds, nanos]: [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);

/**
 * Orchard's own spans about an environment (deploy, verify: they carry `orchard.environment_id`
 * and `orchard.project.id`, or inherit them from their parent span in this process) are written to
 * otel_spans with source 'orchard', beside the app's, so the environment's trace waterfall shows
 * them. Written through the ingest's writer without waiting; a full queue drops them (logged).
 */
export function orchardSpanProcessor(
  writer: Pick<TelemetryWriter, 'writeSpans'>,
  logger: Logger,
): SpanProcessor {
  return {
    onStart(span: Span, parentContext: Context) {
      if (span.attributes[ENVIRONMENT_SPAN_ATTRIBUTE] !== undefined) return;
      const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
      const env = parent?.attributes?.[ENVIRONMENT_SPAN_ATTRIBUTE];
      const project = parent?.attributes?.[PROJECT_SPAN_ATTRIBUTE];
      if (typeof env === 'string' && typeof project === 'string')
        span.setAttributes({ [ENVIRONMENT_SPAN_ATTRIBUTE]: env, [PROJECT_SPAN_ATTRIBUTE]: project });
    },
    onEnd(span: ReadableSpan) {
      const row = rowOf(span);
      if (!row) return;
      writer.writeSpans([row]).catch((error: Error) => {
        logger.warn({ err: error, span: span.name }, 'an Orchard span of an environment was not stored');
      });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

function rowOf(span: ReadableSpan): SpanRow | undefined {
  const environmentId = span.attributes[ENVIRONMENT_SPAN_ATTRIBUTE];
  const projectId = span.attributes[PROJECT_SPAN_ATTRIBUTE];
  if (typeof environmentId !== 'string' || typeof projectId !== 'string') return undefined;
  const context = span.spanContext();
  const start = nanosOf(span.startTime);
  const end = nanosOf(span.endTime);
  const resource = plain(span.resource.attributes);
  return {
    environmentId,
    projectId,
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    // The API's SpanKind counts from 0 = internal; OTLP's from 1.
    kind: (span.kind + 1) as SpanKindNumber,
    serviceName: serviceNameOf(resource) || 'orchard',
    startTime: dateOfNanos(start),
    endTime: dateOfNanos(end),
    durationNs: Number(end - start),
    statusCode: span.status.code as SpanStatusCode,
    statusMessage: span.status.message ?? '',
    attributes: plain(span.attributes),
    resource,
    events: span.events.map((e) => ({
      name: e.name,
      time: dateOfNanos(nanosOf(e.time)).toISOString(),
      attributes: plain(e.attributes ?? {}),
    })),
    source: 'orchard',
  };
}

function plain(attributes: Record<string, unknown>): TelemetryAttributes {
  return JSON.parse(JSON.stringify(attributes)) as TelemetryAttributes;
}
