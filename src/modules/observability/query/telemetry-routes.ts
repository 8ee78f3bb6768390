import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { EnvironmentParams } from '../environment-params.ts';
import { readEnvironmentLogs } from './read-environment-logs.ts';
import { readEnvironmentMetrics, readMetricSeries } from './read-environment-metrics.ts';
import { readEnvironmentTrace, readEnvironmentTraces } from './read-environment-traces.ts';
import type { TelemetryQueryDeps } from './telemetry-deps.ts';
import {
  LogPage,
  LogSearchQuery,
  MetricList,
  MetricListQuery,
  MetricSeries,
  SeriesQuery,
  TraceListQuery,
  TracePage,
  TraceParams,
  TraceView,
} from './telemetry-schemas.ts';

const tags = ['telemetry'];
const base = '/api/projects/:slug/environments/:env/telemetry';

/** An environment's logs, traces and metrics (OTLP data): project viewers and up read them. */
export function telemetryQueryRoutes(deps: TelemetryQueryDeps) {
  return async (app: HttpApp) => {
    app.get(
      `${base}/logs`,
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          params: EnvironmentParams,
          querystring: LogSearchQuery,
          response: { 200: LogPage },
          description:
            'Log records newest first: words, "phrases" and `attr.key=value` in `q`, `severity` at least, `attr=key=value`, `service`, `traceId`/`spanId`, `from`/`to` (default the last hour); keyset-paged by `cursor`.',
        },
      },
      async (request) => readEnvironmentLogs(deps, contextOf(request).actor, request.params, request.query),
    );

    app.get(
      `${base}/traces`,
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          params: EnvironmentParams,
          querystring: TraceListQuery,
          response: { 200: TracePage },
          description: 'Traces with spans in the range, newest first, each summarised by its root span.',
        },
      },
      async (request) => readEnvironmentTraces(deps, contextOf(request).actor, request.params, request.query),
    );

    app.get(
      `${base}/traces/:traceId`,
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          params: TraceParams,
          response: { 200: TraceView },
          description: "Every span of a trace (the app's and Orchard's) with offsets for a waterfall.",
        },
      },
      async (request) => readEnvironmentTrace(deps, contextOf(request).actor, request.params),
    );

    app.get(
      `${base}/metrics`,
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          params: EnvironmentParams,
          querystring: MetricListQuery,
          response: { 200: MetricList },
        },
      },
      async (request) =>
        readEnvironmentMetrics(deps, contextOf(request).actor, request.params, request.query),
    );

    app.get(
      `${base}/metrics/series`,
      {
        config: { projectRole: 'viewer' },
        schema: {
          tags,
          params: EnvironmentParams,
          querystring: SeriesQuery,
          response: { 200: MetricSeries },
          description:
            'One metric in time buckets: avg|min|max|sum|last for gauges, rate|delta for counters, p50|p95|p99 for histograms; one line per value of `groupBy`.',
        },
      },
      async (request) => {
        const { slug, env } = request.params;
        return readMetricSeries(deps, contextOf(request).actor, { slug, env }, request.query);
      },
    );
  };
}
