import { randomUUID } from 'node:crypto';
import { BudgetExceededError, LlmUnavailableError } from '../errors.ts';
import { resolveTargets, type Target } from '../providers/resolve-targets.ts';
import { CallTelemetry } from '../telemetry/call-telemetry.ts';
import { BudgetTracker } from './budget.ts';
import { toSdkTools } from './build-model.ts';
import { callContext, estimateRequestTokens } from './call-input.ts';
import type { CallState } from './call-state.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { ModelAttempts, type PreparedAttempt } from './model-attempts.ts';
import type { LlmEvent, LlmStream, LlmStreamRequest } from './types.ts';

/**
 * One logical call: walks the model chain; on each model, retries (with backoff, honouring
 * retry-after, resuming a broken stream from the text already delivered) until it succeeds,
 * its retries are spent, its error is not retryable or its provider's circuit opens; then falls
 * back to the next model. Events reach the caller as they arrive.
 */
export function streamCall(
  deps: GatewayDeps,
  request: LlmStreamRequest,
  shared?: { budget?: BudgetTracker },
): LlmStream {
  const callId = randomUUID();
  return {
    callId,
    [Symbol.asyncIterator]: () =>
      runCall(deps, request, callId, shared?.budget ?? new BudgetTracker(request.budget)),
  };
}

async function* runCall(
  deps: GatewayDeps,
  request: LlmStreamRequest,
  callId: string,
  budget: BudgetTracker,
): AsyncGenerator<LlmEvent, void> {
  const context = callContext(request.context);
  const targets = await resolveTargets(deps.registry, deps.aliases, request);
  const telemetry = new CallTelemetry(deps.telemetry, {
    callId,
    alias: request.alias ?? null,
    requested: request.alias ?? request.model ?? '',
    ...(context.conversationId ? { conversationId: context.conversationId } : {}),
  });
  const call: CallState = {
    callId,
    request,
    context,
    telemetry,
    budget,
    tools: toSdkTools(request.tools),
    basePromptTokens: estimateRequestTokens(request),
    delivered: '',
    seenToolCalls: new Set(),
    attempts: 0,
    failures: [],
  };
  // Until told otherwise, the consumer stopped reading early.
  let outcome = 'cancelled';
  let current: { model: ModelAttempts; attempt: PreparedAttempt } | undefined;
  let errorType: string | undefined;
  try {
    for (const [index, target] of targets.entries()) {
      const from: Target | undefined = targets[index - 1];
      const model = new ModelAttempts(deps, call, target, from?.key ?? null, index + 1 < targets.length);
      // The attempt loop lives in this one generator (not in nested ones): every event the caller
      // receives crosses a single async-generator boundary.
      for (let attempt = await model.prepare(); attempt; attempt = await model.prepare()) {
        const { run } = attempt;
        current = { model, attempt };
        let drained = false;
        try {
          for await (const part of run.parts) {
            const event = run.handle(part);
            if (event) yield event;
            if (run.stopped) break;
          }
          drained = !run.stopped;
        } catch (error) {
          run.thrown(error);
        } finally {
          run.close(drained);
        }
        const { result, tail } = run.finish();
        if (tail) yield tail;
        current = undefined;
        const settled = model.settle(attempt, result);
        yield settled.usage;
        if (settled.next === 'done') {
          yield settled.finish;
          outcome = 'ok';
          return;
        }
        if (settled.next === 'fallback') break;
        if (settled.waitMs > 0) await deps.sleep(settled.waitMs, request.signal);
      }
      const next = targets[index + 1];
      const reason = call.failures.at(-1)?.errorType ?? 'error';
      if (next) {
        telemetry.fellBack(target.key, next.key, reason);
        deps.logger.warn(
          { callId, from: target.key, to: next.key, reason },
          'LLM call falling back to the next model',
        );
      }
    }
    const tried = call.failures
      .map((f) => `${f.provider}/${f.model}: ${f.errorType}${f.message ? ` (${f.message})` : ''}`)
      .join('; ');
    throw new LlmUnavailableError(
      `No model of "${request.alias ?? request.model}" answered (${tried}). Check the providers' status and keys.`,
      call.failures,
    );
  } catch (error) {
    outcome = request.signal?.aborted
      ? 'aborted'
      : error instanceof BudgetExceededError
        ? 'budget_exceeded'
        : 'error';
    errorType =
      error instanceof BudgetExceededError ? 'budget_exceeded' : (call.failures.at(-1)?.errorType ?? outcome);
    throw error;
  } finally {
    if (current) current.model.abandon(current.attempt);
    telemetry.end(outcome, { costUsd: budget.spent.costUsd }, errorType);
  }
}
