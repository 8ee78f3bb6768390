import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { AttemptRecord } from './attempt-record.ts';
import type { CallRecorder } from './call-recorder.ts';
import type { LlmMetrics } from './llm-metrics.ts';

export interface TelemetryDeps {
  tracer: Tracer | undefined;
  metrics: LlmMetrics;
  recorder: CallRecorder;
}

export interface AttemptTarget {
  provider: string;
  /** `gen_ai.provider.name`: anthropic, gcp.gemini, or the configured name of an OpenAI-compatible server. */
  system: string;
  model: string;
  baseUrl: string;
}

export interface AttemptResponse {
  responseId?: string;
  responseModel?: string;
  maxTokens?: number;
}

/**
 * Telemetry of one logical call: a parent span, one child span per attempt (retries and fallbacks
 * are siblings), the GenAI metrics and one `llm_calls` row per attempt.
 */
export class CallTelemetry {
  private readonly parent: Span | undefined;

  constructor(
    private readonly deps: TelemetryDeps,
    private readonly call: {
      callId: string;
      alias: string | null;
      requested: string;
      conversationId?: string;
    },
  ) {
    this.parent = deps.tracer?.startSpan(`chat ${call.requested}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'orchard.llm.call_id': call.callId,
        ...(call.alias ? { 'orchard.llm.alias': call.alias } : {}),
        ...(call.conversationId ? { 'gen_ai.conversation.id': call.conversationId } : {}),
      },
    });
  }

  startAttempt(target: AttemptTarget): Span | undefined {
    if (!this.deps.tracer || !this.parent) return undefined;
    const url = safeUrl(target.baseUrl);
    return this.deps.tracer.startSpan(
      `chat ${target.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': target.system,
          'gen_ai.request.model': target.model,
          ...(url
            ? {
                'server.address': url.hostname,
                'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
              }
            : {}),
          ...(this.call.conversationId ? { 'gen_ai.conversation.id': this.call.conversationId } : {}),
        },
      },
      trace.setSpan(context.active(), this.parent),
    );
  }

  endAttempt(
    span: Span | undefined,
    target: AttemptTarget,
    record: AttemptRecord,
    response: AttemptResponse,
  ) {
    const { metrics } = this.deps;
    const base = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: target.system,
      gen_ai_request_model: target.model,
    };
    if (record.outcome !== 'breaker_open') {
      metrics.duration.observe({ ...base, error_type: record.errorType ?? '' }, record.durationMs / 1000);
      if (record.ttftMs !== null) metrics.timeToFirstChunk.observe(base, record.ttftMs / 1000);
      if (record.usage.inputTokens)
        metrics.tokenUsage.observe({ ...base, gen_ai_token_type: 'input' }, record.usage.inputTokens);
      if (record.usage.outputTokens)
        metrics.tokenUsage.observe({ ...base, gen_ai_token_type: 'output' }, record.usage.outputTokens);
    }
    if (record.costUsd) metrics.cost.inc({ provider: record.provider, model: record.model }, record.costUsd);
    this.deps.recorder.add(record);
    if (!span) return;
    const attributes: Attributes = {
      'gen_ai.usage.input_tokens': record.usage.inputTokens,
      'gen_ai.usage.output_tokens': record.usage.outputTokens,
      'gen_ai.usage.cache_read.input_tokens': record.usage.cachedInputTokens,
      'orchard.cost.usd': record.costUsd ?? 0,
      'orchard.llm.attempt': record.attempt,
      'orchard.llm.retry_index': record.retryIndex,
      'orchard.llm.outcome': record.outcome,
    };
    if (record.finishReason) attributes['gen_ai.response.finish_reasons'] = [record.finishReason];
    if (response.responseId) attributes['gen_ai.response.id'] = response.responseId;
    if (response.responseModel) attributes['gen_ai.response.model'] = response.responseModel;
    if (response.maxTokens) attributes['gen_ai.request.max_tokens'] = response.maxTokens;
    if (record.ttftMs !== null) attributes['orchard.llm.time_to_first_chunk_ms'] = record.ttftMs;
    if (record.fallbackFrom) attributes['orchard.llm.fallback_from'] = record.fallbackFrom;
    if (record.resumeMode) attributes['orchard.llm.resume_mode'] = record.resumeMode;
    if (record.errorType) {
      attributes['error.type'] = record.errorType;
      span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorType });
    }
    span.setAttributes(attributes);
    span.end();
  }

  retried(provider: string, model: string, errorType: string) {
    this.deps.metrics.retries.inc({ provider, model, error_type: errorType });
  }

  fellBack(from: string, to: string, reason: string) {
    this.deps.metrics.fallbacks.inc({ from, to, reason });
  }

  end(outcome: string, usage: { costUsd: number }, errorType?: string) {
    this.deps.metrics.calls.inc({ alias: this.call.alias ?? '', outcome });
    if (!this.parent) return;
    this.parent.setAttribute('orchard.cost.usd', usage.costUsd);
    if (errorType) {
      this.parent.setAttribute('error.type', errorType);
      this.parent.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    this.parent.end();
  }
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
