/** The telemetry query API's answers (src/modules/observability/query), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type LogRecord = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/telemetry/logs', 'get'>>;
export type TraceSummary = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/telemetry/traces', 'get'>>;
export type TraceView = Answer<'/api/projects/{slug}/environments/{env}/telemetry/traces/{traceId}', 'get'>;
export type SpanView = TraceView['spans'][number];
export type MetricInfo = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/telemetry/metrics', 'get'>>;
export type MetricSeries = Answer<'/api/projects/{slug}/environments/{env}/telemetry/metrics/series', 'get'>;
