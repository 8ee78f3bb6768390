import generated from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

/**
 * OTLP's protobuf messages from the generated protobufjs root that ships with the OpenTelemetry
 * SDK's own transformer (no .proto files or code generation here).
 */
interface MessageType {
  decode(bytes: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: unknown): unknown;
}
type Service<Name extends string> = Record<
  `Export${Name}ServiceRequest` | `Export${Name}ServiceResponse`,
  MessageType
>;
/** Its typings say only `Root`; these are the classes it holds. */
interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: Service<'Trace'> };
        logs: { v1: Service<'Logs'> };
        metrics: { v1: Service<'Metrics'> };
      };
    };
  };
}
const collector = (generated as unknown as GeneratedRoot).opentelemetry.proto.collector;

/** The three signals and their request and response messages. */
export type Signal = 'traces' | 'logs' | 'metrics';

const requests = {
  traces: collector.trace.v1.ExportTraceServiceRequest,
  logs: collector.logs.v1.ExportLogsServiceRequest,
  metrics: collector.metrics.v1.ExportMetricsServiceRequest,
};
const responses = {
  traces: collector.trace.v1.ExportTraceServiceResponse,
  logs: collector.logs.v1.ExportLogsServiceResponse,
  metrics: collector.metrics.v1.ExportMetricsServiceResponse,
};

/** The partialSuccess field that counts each signal's refused records. */
export const REJECTED_FIELD = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
} as const;

/** Decodes an Export*ServiceRequest; throws (protobufjs's message) on bytes that are not one. */
export function decodeRequest(signal: Signal, body: Uint8Array): unknown {
  return requests[signal].decode(body);
}

/** The Export*ServiceResponse: empty when all was accepted, else partialSuccess. */
export function responseObject(signal: Signal, rejected: number, errorMessage: string) {
  if (!rejected && !errorMessage) return {};
  return { partialSuccess: { [REJECTED_FIELD[signal]]: rejected, errorMessage } };
}

/** The response as protobuf bytes. */
export function encodeResponse(signal: Signal, rejected: number, errorMessage: string): Uint8Array {
  const type = responses[signal];
  return type.encode(type.fromObject(responseObject(signal, rejected, errorMessage))).finish();
}
