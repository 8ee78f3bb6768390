import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '../../../platform/log.ts';

export interface LlmTracing {
  tracer: Tracer | undefined;
  shutdown(): Promise<void>;
}

// Optional packages: named through variables so the type checker and bundlers do not require them.
const SDK_TRACE_BASE = '@opentelemetry/sdk-trace-base';
const OTLP_HTTP_EXPORTER = '@opentelemetry/exporter-trace-otlp-http';

/**
 * LLM spans are exported only when an OTLP endpoint is configured. `@opentelemetry/api` ships with
 * the AI SDK; the SDK and exporter packages are optional: without them the gateway logs once and
 * records no spans (metrics and `llm_calls` are unaffected).
 */
export async function startLlmTracing(endpoint: string | undefined, logger: Logger): Promise<LlmTracing> {
  const off: LlmTracing = { tracer: undefined, shutdown: async () => {} };
  if (!endpoint) return off;
  try {
    const base = await import(SDK_TRACE_BASE);
    const exporterModule = await import(OTLP_HTTP_EXPORTER);
    const exporter = new exporterModule.OTLPTraceExporter({
      url: `${endpoint.replace(/\/$/, '')}/v1/traces`,
    });
    const provider = new base.BasicTracerProvider({
      spanProcessors: [new base.BatchSpanProcessor(exporter)],
    });
    return { tracer: provider.getTracer('orchard.llm'), shutdown: () => provider.shutdown() };
  } catch {
    logger.warn(
      { endpoint },
      `otlpEndpoint is set but ${SDK_TRACE_BASE} and ${OTLP_HTTP_EXPORTER} are not installed; LLM spans are not exported`,
    );
    return off;
  }
}
