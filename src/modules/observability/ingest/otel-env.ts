import { OTLP_PATH } from './otlp-path.ts';

/**
 * The OpenTelemetry SDK's standard environment for a process that exports to Orchard: the base
 * endpoint (SDKs add /v1/traces, /v1/logs, /v1/metrics), the ingest token as a header (the spec's
 * `key=value` list, values percent-encoded) and the service's name.
 */
export function otelEnv(o: { baseUrl: string; token: string; serviceName: string }): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `${o.baseUrl.replace(/\/+$/, '')}${OTLP_PATH}`,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(`Bearer ${o.token}`)}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_SERVICE_NAME: o.serviceName,
  };
}
