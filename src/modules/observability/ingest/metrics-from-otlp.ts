import type { MetricKind, MetricPointRow, TelemetryAttributes } from '../telemetry-rows.ts';
import { type Converted, type IngestTenant, listOf, RowCollector } from './ingest-tenant.ts';
import {
  attributesOf,
  bigOf,
  dateOfNanos,
  doubleOf,
  MAX_NANOS,
  numberOf,
  serviceNameOf,
  textOf,
} from './otlp-values.ts';

/** The data field of a Metric that holds each kind's points (OTLP's oneof `data`). */
const KINDS: [field: string, kind: MetricKind][] = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];

interface MetricHead {
  name: string;
  description: string;
  unit: string;
  resource: TelemetryAttributes;
  serviceName: string;
}

/**
 * An ExportMetricsServiceRequest (decoded protobuf or OTLP/JSON) as otel_metric_points rows, one
 * per data point. A metric without a name or data, or a point without a time, is refused.
 */
export function metricsFromOtlp(request: unknown, tenant: IngestTenant): Converted<MetricPointRow> {
  const out = new RowCollector<MetricPointRow>();
  for (const resourceMetrics of listOf((request as { resourceMetrics?: unknown })?.resourceMetrics)) {
    const resource = attributesOf((resourceMetrics.resource as { attributes?: unknown })?.attributes);
    const serviceName = serviceNameOf(resource);
    for (const scopeMetrics of listOf(resourceMetrics.scopeMetrics)) {
      for (const metric of listOf(scopeMetrics.metrics)) {
        const found = KINDS.find(([field]) => metric[field] != null);
        const name = textOf(metric.name);
        if (!found || !name) {
          out.reject('a metric needs a name and one of gauge, sum, histogram, exponentialHistogram, summary');
          continue;
        }
        const [field, kind] = found;
        const data = metric[field] as Record<string, unknown>;
        const head: MetricHead = {
          name,
          description: textOf(metric.description),
          unit: textOf(metric.unit),
          resource,
          serviceName,
        };
        for (const point of listOf(data.dataPoints)) {
          const row = pointRow(tenant, head, kind, data, point);
          if (row) out.rows.push(row);
          else out.reject('a data point needs its timeUnixNano (before the year 10000)');
        }
      }
    }
  }
  return out.result();
}

function pointRow(
  tenant: IngestTenant,
  head: MetricHead,
  kind: MetricKind,
  data: Record<string, unknown>,
  point: Record<string, unknown>,
): MetricPointRow | undefined {
  const time = bigOf(point.timeUnixNano);
  const start = bigOf(point.startTimeUnixNano);
  if (time <= 0n || time >= MAX_NANOS || start >= MAX_NANOS) return undefined;
  const isSum = kind === 'sum';
  return {
    // Named, not spread: spreads before many more properties make V8 build each row slowly.
    environmentId: tenant.environmentId,
    projectId: tenant.projectId,
    name: head.name,
    description: head.description,
    unit: head.unit,
    resource: head.resource,
    serviceName: head.serviceName,
    kind,
    monotonic: isSum ? Boolean(data.isMonotonic) : null,
    temporality: isSum || kind.endsWith('histogram') ? temporalityOf(data.aggregationTemporality) : null,
    time: dateOfNanos(time),
    startTime: start > 0n ? dateOfNanos(start) : null,
    value: kind === 'gauge' || isSum ? pointValue(point) : null,
    count: point.count != null ? numberOf(point.count) : null,
    sum: doubleOf(point.sum),
    min: doubleOf(point.min),
    max: doubleOf(point.max),
    bucketCounts: kind === 'histogram' ? listOfNumbers(point.bucketCounts, numberOf) : null,
    explicitBounds:
      kind === 'histogram' ? listOfNumbers(point.explicitBounds, (v) => doubleOf(v) ?? 0) : null,
    attributes: attributesOf(point.attributes),
  };
}

/** NumberDataPoint: asDouble or asInt. */
function pointValue(point: Record<string, unknown>): number | null {
  if (point.asDouble != null) return doubleOf(point.asDouble);
  if (point.asInt != null) return numberOf(point.asInt);
  return null;
}

function temporalityOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value === 'AGGREGATION_TEMPORALITY_DELTA') return 1;
  if (value === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 2;
  return null;
}

function listOfNumbers(value: unknown, read: (v: unknown) => number): number[] {
  return Array.isArray(value) ? value.map(read) : [];
}
