/**
 * The observability module's public face: telemetry of the deployed environments (OTLP ingest,
 * queries) and the alert rules evaluated on it.
 */

export type { AlertListener } from './alerts/alert-deps.ts';
export { ALERTS_EVALUATE_KIND, registerAlertJobs } from './alerts/alert-jobs.ts';
export { alertRoutes } from './alerts/alert-routes.ts';
export { listAlertRules } from './alerts/list-alert-rules.ts';
export { startAlertEvaluator } from './alerts/start-alert-evaluator.ts';

// Error reporting: exceptions grouped by fingerprint, per environment and for Orchard itself.
export {
  createErrorReporting,
  type ErrorReporting,
  errorReportingDeps,
} from './errors/error-reporting-deps.ts';
export { listEnvironmentErrorGroups } from './errors/list-error-groups.ts';
export { appExceptionListener, recordAppExceptions } from './errors/record-app-exceptions.ts';
export { recordErrors } from './errors/record-errors.ts';
export { errorRoutes } from './errors/routes.ts';
export { ErrorGroupsQuery, type ErrorGroupView } from './errors/schemas.ts';

// OTLP ingest: /otlp/v1/{traces,logs,metrics}, the environments' ingest tokens, the batched writer.
export { ingestTokensStore } from './ingest/ingest-token-sealed-store.ts';
export { startPartitionMaintenance } from './ingest/maintain-partitions.ts';
export { orchardSpanProcessor } from './ingest/orchard-span-processor.ts';
export { OTLP_PATH } from './ingest/otlp-path.ts';
export { createTelemetryIngest, type TelemetryIngest } from './ingest/telemetry-ingest.ts';

// Queries of an environment's logs, traces and metrics.
export type { LogSearch } from './query/log-search-sql.ts';
export { readEnvironmentLogs } from './query/read-environment-logs.ts';
export { readEnvironmentTrace } from './query/read-environment-traces.ts';
export { searchLogs } from './query/search-logs.ts';
export { telemetryQueryRoutes } from './query/telemetry-routes.ts';
export { LogSearchQuery } from './query/telemetry-schemas.ts';
