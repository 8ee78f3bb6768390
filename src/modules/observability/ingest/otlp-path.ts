/** Where OTLP/HTTP exporters send: `OTEL_EXPORTER_OTLP_ENDPOINT` is Orchard's base URL + this. */
export const OTLP_PATH = '/otlp';
