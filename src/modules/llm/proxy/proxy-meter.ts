import { randomUUID } from 'node:crypto';
import { attemptRow } from '../gateway/attempt-row.ts';
import type { AttemptErrorType } from '../gateway/classify-error.ts';
import type { PassThroughDeps } from '../gateway/create-gateway.ts';
import { costOf } from '../gateway/pricing.ts';
import type { LlmCallContext, LlmUsage } from '../gateway/types.ts';
import { genAiSystem } from '../providers/provider-entry.ts';
import type { Target } from '../providers/resolve-targets.ts';
import type { AttemptOutcome } from '../telemetry/attempt-record.ts';
import { type AttemptTarget, CallTelemetry } from '../telemetry/call-telemetry.ts';

export interface AttemptEnd {
  outcome: Exclude<AttemptOutcome, 'breaker_open'>;
  failure?: { type: AttemptErrorType; message: string; status?: number };
  usage?: LlmUsage;
  ttftMs?: number | null;
}

export interface MeteredAttempt {
  /** Monotonic start, for time to first byte. */
  readonly t0: number;
  /** Writes the attempt's row, span and metrics; the cost comes from the price table. */
  end(end: AttemptEnd): void;
}

/**
 * The books of one proxied request, kept as the gateway keeps its calls: one `llm_calls` row per
 * attempt under one call id (written off the request path by the gateway's recorder), a span per
 * attempt under one parent, and the GenAI metrics. A request that costs nothing (token counting)
 * is not booked.
 */
export class ProxyMeter {
  readonly callId = randomUUID();
  private attempts = 0;
  private costUsd = 0;
  private readonly telemetry: CallTelemetry | undefined;

  constructor(
    private readonly deps: PassThroughDeps,
    private readonly call: {
      alias: string | null;
      requested: string;
      context: LlmCallContext;
      booked: boolean;
    },
  ) {
    this.telemetry = call.booked
      ? new CallTelemetry(deps.telemetry, {
          callId: this.callId,
          alias: call.alias,
          requested: call.requested,
        })
      : undefined;
  }

  begin(target: Target, fallbackFrom: string | null): MeteredAttempt {
    const t0 = this.deps.now();
    const startedAt = this.deps.clock.now();
    const attempt = ++this.attempts;
    const span = this.telemetry?.startAttempt(attemptTarget(target));
    return {
      t0,
      end: (end) => {
        const costUsd = end.usage ? costOf(end.usage, target.model) : null;
        this.costUsd += costUsd ?? 0;
        this.book(target, span, {
          attempt,
          startedAt,
          fallbackFrom,
          outcome: end.outcome,
          ...(end.failure ? { failure: end.failure } : {}),
          ...(end.usage ? { usage: end.usage } : {}),
          ttftMs: end.ttftMs ?? null,
          durationMs: this.deps.now() - t0,
          costUsd,
        });
      },
    };
  }

  /** The target's circuit is open: booked as skipped, without a span (nothing was sent). */
  breakerOpen(target: Target, fallbackFrom: string | null) {
    const attempt = ++this.attempts;
    this.book(target, undefined, {
      attempt,
      startedAt: this.deps.clock.now(),
      fallbackFrom,
      outcome: 'breaker_open',
    });
  }

  fellBack(from: Target, to: Target, reason: string) {
    this.telemetry?.fellBack(from.key, to.key, reason);
    this.deps.logger.warn(
      { callId: this.callId, from: from.key, to: to.key, reason },
      'LLM proxy request falling back to the next model',
    );
  }

  /** Closes the parent span and counts the request by outcome. */
  end(outcome: 'ok' | 'error' | 'aborted', errorType?: string) {
    this.telemetry?.end(outcome, { costUsd: this.costUsd }, errorType);
  }

  private book(
    target: Target,
    span: ReturnType<CallTelemetry['startAttempt']>,
    fields: Omit<
      Parameters<typeof attemptRow>[0],
      'callId' | 'retryIndex' | 'target' | 'alias' | 'context' | 'knownKeys'
    >,
  ) {
    if (!this.telemetry) return;
    const row = attemptRow({
      callId: this.callId,
      retryIndex: 0,
      target,
      alias: this.call.alias,
      context: this.call.context,
      knownKeys: this.deps.registry.knownKeys(),
      ...fields,
    });
    this.telemetry.endAttempt(span, attemptTarget(target), row, {});
  }
}

function attemptTarget(target: Target): AttemptTarget {
  return {
    provider: target.provider.name,
    system: genAiSystem(target.provider),
    model: target.modelId,
    baseUrl: target.provider.baseUrl,
  };
}
