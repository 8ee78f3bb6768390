import type { Metrics } from '../../../platform/metrics.ts';

/** Prometheus names follow the OpenTelemetry GenAI metrics (dots become underscores, unit suffixed). */
const LABELS = [
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'error_type',
] as const;
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

export type LlmMetrics = ReturnType<typeof createLlmMetrics>;

export function createLlmMetrics(metrics: Metrics) {
  return {
    duration: metrics.histogram(
      'gen_ai_client_operation_duration_seconds',
      'Duration of one LLM attempt (GenAI gen_ai.client.operation.duration)',
      LABELS,
      DURATION_BUCKETS,
    ),
    timeToFirstChunk: metrics.histogram(
      'gen_ai_client_operation_time_to_first_chunk_seconds',
      'Time from request to the first streamed chunk (GenAI gen_ai.client.operation.time_to_first_chunk)',
      ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'] as const,
      TTFT_BUCKETS,
    ),
    tokenUsage: metrics.histogram(
      'gen_ai_client_token_usage',
      'Tokens per LLM attempt by type (GenAI gen_ai.client.token.usage)',
      ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_token_type'] as const,
      TOKEN_BUCKETS,
    ),
    retries: metrics.counter('orchard_llm_retries_total', 'LLM attempts retried on the same model', [
      'provider',
      'model',
      'error_type',
    ] as const),
    fallbacks: metrics.counter(
      'orchard_llm_fallbacks_total',
      'LLM calls moved to the next model of their chain',
      ['from', 'to', 'reason'] as const,
    ),
    cost: metrics.counter('orchard_llm_cost_usd_total', 'LLM spend in USD from the configured price table', [
      'provider',
      'model',
    ] as const),
    calls: metrics.counter('orchard_llm_calls_total', 'Logical LLM calls by outcome', [
      'alias',
      'outcome',
    ] as const),
    breaker: metrics.gauge(
      'orchard_llm_circuit_state',
      'Circuit breaker per provider: 0 closed, 1 half-open, 2 open',
      ['provider'] as const,
    ),
  };
}
