import type { TelemetryListener } from '../ingest/telemetry-writer.ts';
import type { LogRow, SpanRow, TelemetryAttributes } from '../telemetry-rows.ts';
import type { ErrorDeps } from './error-deps.ts';
import { type ErrorReport, recordErrors } from './record-errors.ts';

/** The parts of a stored span this reads (the ingest's `SpanRow`). */
export type ExceptionSpan = Pick<SpanRow, 'environmentId' | 'projectId' | 'traceId' | 'spanId' | 'events'> &
  Partial<Pick<SpanRow, 'name' | 'serviceName' | 'source'>>;
/** The parts of a stored log record this reads (the ingest's `LogRow`). */
export type ExceptionLog = Pick<
  LogRow,
  'environmentId' | 'projectId' | 'time' | 'body' | 'attributes' | 'traceId' | 'severityNumber'
> &
  Partial<Pick<LogRow, 'spanId' | 'serviceName'>>;

const EXCEPTION_KEYS = ['exception.type', 'exception.message', 'exception.stacktrace'];

/**
 * Deployed apps' exceptions, from rows the ingest has just stored: OTel `exception` span events and
 * log records carrying `exception.*` attributes (the apps' page errors arrive as such logs). Each
 * becomes an occurrence of its group in the environment the row came from.
 */
export async function recordAppExceptions(
  deps: ErrorDeps,
  rows: { spans?: readonly ExceptionSpan[]; logs?: readonly ExceptionLog[] },
) {
  const reports: ErrorReport[] = [];
  for (const span of rows.spans ?? []) {
    if (span.source === 'orchard') continue;
    for (const event of span.events) {
      if (event.name !== 'exception') continue;
      const a = event.attributes ?? {};
      const type = text(a['exception.type']);
      const message = text(a['exception.message']);
      if (!type && !message) continue;
      reports.push({
        scope: { environmentId: span.environmentId, projectId: span.projectId },
        type: type || 'Error',
        message: message ?? '',
        stack: text(a['exception.stacktrace']),
        time: new Date(event.time),
        attributes: {
          ...rest(a),
          ...(span.name ? { 'span.name': span.name } : {}),
          ...(span.serviceName ? { 'service.name': span.serviceName } : {}),
        },
        traceId: span.traceId,
        spanId: span.spanId,
      });
    }
  }
  for (const log of rows.logs ?? []) {
    const a = log.attributes ?? {};
    if (!EXCEPTION_KEYS.some((k) => a[k] !== undefined)) continue;
    reports.push({
      scope: { environmentId: log.environmentId, projectId: log.projectId },
      type: text(a['exception.type']) || 'Error',
      message: text(a['exception.message']) ?? log.body,
      stack: text(a['exception.stacktrace']),
      time: log.time,
      attributes: {
        ...rest(a),
        'log.severity_number': log.severityNumber,
        ...(log.serviceName ? { 'service.name': log.serviceName } : {}),
      },
      traceId: log.traceId,
      spanId: log.spanId ?? null,
    });
  }
  if (!reports.length) return { groups: [], dropped: 0 };
  return recordErrors(deps, reports);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The attributes beside the exception's own (those are the group's type, message and stack). */
function rest(attributes: TelemetryAttributes): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !EXCEPTION_KEYS.includes(k)));
}

/**
 * The ingest's listener (called after its commit): the stored spans' and logs' exceptions become
 * error occurrences. Batches without any exception cost one scan and no query.
 */
export function appExceptionListener(deps: ErrorDeps): TelemetryListener {
  return {
    spans: async (rows) => {
      if (rows.some((s) => s.events.some((e) => e.name === 'exception')))
        await recordAppExceptions(deps, { spans: rows });
    },
    logs: async (rows) => {
      if (rows.some((l) => EXCEPTION_KEYS.some((k) => l.attributes?.[k] !== undefined)))
        await recordAppExceptions(deps, { logs: rows });
    },
  };
}
