import type { Clock } from '../../../platform/clock.ts';
import type { IngestTenant } from './ingest-tenant.ts';
import { logsFromOtlp } from './logs-from-otlp.ts';
import { metricsFromOtlp } from './metrics-from-otlp.ts';
import type { Signal } from './otlp-codec.ts';
import { spansFromOtlp } from './spans-from-otlp.ts';
import type { TelemetryWriter } from './telemetry-writer.ts';

/**
 * One decoded export request of an environment: its records as rows, written (resolves once
 * committed). Returns what was refused, for the response's partialSuccess.
 */
export async function ingestExport(
  deps: { clock: Clock; writer: TelemetryWriter },
  signal: Signal,
  request: unknown,
  tenant: IngestTenant,
): Promise<{ accepted: number; rejected: number; errorMessage: string }> {
  if (signal === 'traces') {
    const spans = spansFromOtlp(request, tenant);
    await deps.writer.writeSpans(spans.rows);
    return { accepted: spans.rows.length, rejected: spans.rejected, errorMessage: spans.errorMessage };
  }
  if (signal === 'logs') {
    const logs = logsFromOtlp(request, tenant, deps.clock.now());
    await deps.writer.writeLogs(logs.rows);
    return { accepted: logs.rows.length, rejected: logs.rejected, errorMessage: logs.errorMessage };
  }
  const points = metricsFromOtlp(request, tenant);
  await deps.writer.writeMetricPoints(points.rows);
  return { accepted: points.rows.length, rejected: points.rejected, errorMessage: points.errorMessage };
}
