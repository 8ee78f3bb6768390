import { genAiSystem } from '../providers/provider-entry.ts';
import type { Target } from '../providers/resolve-targets.ts';
import { AttemptLedger, type AttemptSpan } from './attempt-ledger.ts';
import type { CallState } from './call-state.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { attemptInput, planAttempt } from './plan-attempt.ts';
import { costOf } from './pricing.ts';
import { decideRetry, type RetryDecision } from './retry-decision.ts';
import { type AttemptResult, AttemptRun } from './run-attempt.ts';
import type { LlmEvent } from './types.ts';

export interface PreparedAttempt {
  run: AttemptRun;
  span: AttemptSpan;
  resumeMode: string | null;
  maxOutputTokens: number | undefined;
  startedAt: Date;
}

/** After an attempt: its usage event, and whether the call is done, retries here, or moves on. */
export type Settled = { usage: LlmEvent } & ({ next: 'done'; finish: LlmEvent } | RetryDecision);

/**
 * The attempts of one call on one model of its chain: the circuit breaker, the key, the resume
 * plan and the budget before each; records, breaker bookkeeping and the retry decision after.
 * Throws on caller abort and budget exhaustion.
 */
export class ModelAttempts {
  private retryIndex = 0;
  private midStreamBreaks = 0;
  private readonly breaker: CircuitBreaker;
  private readonly ledger: AttemptLedger;

  constructor(
    private readonly deps: GatewayDeps,
    private readonly call: CallState,
    private readonly model: Target,
    fallbackFrom: string | null,
    private readonly hasNext: boolean,
  ) {
    this.breaker = deps.breakers.get(model.provider.name);
    const target = {
      provider: model.provider.name,
      system: genAiSystem(model.provider),
      model: model.modelId,
      baseUrl: model.provider.baseUrl,
    };
    this.ledger = new AttemptLedger(deps, call, model, target, fallbackFrom);
  }

  /** The next attempt, or null when this model cannot be tried now (circuit open, key unreadable). */
  async prepare(): Promise<PreparedAttempt | null> {
    const { deps, call, model, ledger } = this;
    call.attempts += 1;
    const startedAt = deps.clock.now();
    if (!this.breaker.tryAcquire()) {
      ledger.record(this.retryIndex, { outcome: 'breaker_open', startedAt }, undefined);
      ledger.fail({ type: 'breaker_open' });
      return null;
    }
    let apiKey: string | undefined;
    try {
      apiKey = await deps.registry.apiKey(model.provider);
    } catch (error) {
      this.breaker.release();
      const failure = {
        type: 'not_configured' as const,
        message: (error as Error).message,
        retryable: false,
      };
      ledger.record(this.retryIndex, { outcome: 'error', failure, startedAt }, undefined);
      ledger.fail(failure);
      deps.logger.warn(
        { callId: call.callId, target: model.key, err: { message: failure.message } },
        'LLM provider key unavailable',
      );
      return null;
    }
    const { request } = call;
    const plan = planAttempt({
      target: model,
      messages: request.messages,
      delivered: call.delivered,
      basePromptTokens: call.basePromptTokens,
      structured: request.schema !== undefined,
      prefillRefused: deps.prefillRefused.has(model.key),
    });
    try {
      call.budget.beginAttempt(plan.promptTokens, model.model);
    } catch (error) {
      this.breaker.release();
      throw error;
    }
    const maxOutputTokens = minDefined(request.maxOutputTokens, call.budget.remainingOutputTokens());
    const span = call.telemetry.startAttempt(ledger.target);
    const run = new AttemptRun(attemptInput(deps, call, model, plan, apiKey, maxOutputTokens));
    return { run, span, resumeMode: plan.resumeMode, maxOutputTokens, startedAt };
  }

  /** Books the finished attempt and decides what comes next. */
  settle(attempt: PreparedAttempt, result: AttemptResult): Settled {
    const { deps, call, model } = this;
    call.delivered += result.delivered;
    const usage = this.book(attempt, result, result.outcome);
    if (result.outcome === 'ok') {
      this.breaker.success();
      const spent = call.budget.spent;
      const finish: LlmEvent = {
        type: 'finish',
        reason: result.finishReason ?? 'other',
        usage: spent.usage,
        costUsd: spent.costUsd,
        callId: call.callId,
        provider: model.provider.name,
        model: model.modelId,
        attempts: call.attempts,
      };
      return { usage, next: 'done', finish };
    }
    this.breaker.release();
    if (result.outcome === 'aborted')
      throw call.request.signal?.reason ?? new DOMException('The LLM call was aborted.', 'AbortError');
    if (result.outcome === 'budget_exceeded') throw result.budgetError;

    const failure = result.failure!;
    this.retryIndex += 1;
    if (attempt.resumeMode === 'prefill' && failure.type === 'client_error') {
      // The model refuses an assistant prefill (Claude 4.6+, newer Gemini): resume with a continue turn at once.
      deps.prefillRefused.add(model.key);
      return { usage, next: 'retry', waitMs: 0 };
    }
    if (failure.providerFault) this.breaker.failure();
    this.ledger.fail(failure);
    deps.logger.warn(
      {
        callId: call.callId,
        target: model.key,
        attempt: call.attempts,
        errorType: failure.type,
        status: failure.status,
      },
      'LLM attempt failed',
    );
    if (result.ttftMs !== null) this.midStreamBreaks += 1;
    const decision = decideRetry({
      failure,
      tries: this.retryIndex,
      policy: deps.policy,
      breakerOpen: this.breaker.isOpen,
      hasNext: this.hasNext,
      firstMidStreamBreak: result.ttftMs !== null && this.midStreamBreaks === 1,
      random: deps.random,
    });
    if (decision.next === 'retry') call.telemetry.retried(model.provider.name, model.modelId, failure.type);
    return { usage, ...decision };
  }

  /** The consumer stopped reading mid-attempt: book what was spent, blame nobody. */
  abandon(attempt: PreparedAttempt) {
    this.book(attempt, attempt.run.finish().result, 'aborted');
    this.breaker.release();
  }

  /** Settles the budget and writes the row; returns the usage event. */
  private book(attempt: PreparedAttempt, result: AttemptResult, outcome: AttemptResult['outcome']): LlmEvent {
    const cost = costOf(result.usage, this.model.model);
    this.call.budget.settle(result.usage, cost);
    this.ledger.record(
      this.retryIndex,
      {
        outcome,
        ...(result.failure && outcome === 'error' ? { failure: result.failure } : {}),
        finishReason: result.finishReason,
        resumeMode: attempt.resumeMode,
        ttftMs: result.ttftMs,
        durationMs: result.durationMs,
        usage: result.usage,
        usageEstimated: result.usageEstimated,
        costUsd: cost,
        startedAt: attempt.startedAt,
      },
      attempt.span,
      {
        responseId: result.responseId,
        responseModel: result.responseModel,
        maxTokens: attempt.maxOutputTokens,
      },
    );
    const { provider, modelId } = { provider: this.model.provider.name, modelId: this.model.modelId };
    return {
      type: 'usage',
      provider,
      model: modelId,
      usage: result.usage,
      costUsd: cost,
      estimated: result.usageEstimated,
    };
  }
}

function minDefined(...values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}
