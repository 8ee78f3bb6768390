import type { Clock } from '../../../platform/clock.ts';
import type { LlmCallContext, LlmGateway } from '../../llm/index.ts';
import { classifyByRules } from './classify-by-rules.ts';
import { CLASSIFIER_ALIAS, classifyWithLlm } from './classify-with-llm.ts';
import type { Classification } from './sdlc-kinds.ts';

/** A request waits for its classification: past this the rules answer instead. */
const LLM_DEADLINE_MS = 20_000;

export interface ClassifierDeps {
  clock: Clock;
  llm?: Pick<LlmGateway, 'isConfigured' | 'generateObject'>;
}

/**
 * Classifies a request (new feature, change, bug fix or chore) with the LLM when one serves the
 * `fast` alias, else by rules. An LLM that fails or is too slow leaves the answer to the rules,
 * which say so (`fallback`): nothing pretends to be the model.
 */
export async function classifyRequest(
  deps: ClassifierDeps,
  input: { request: string; context?: LlmCallContext; signal?: AbortSignal; deadlineMs?: number },
): Promise<Classification> {
  if (!deps.llm || !(await deps.llm.isConfigured({ alias: CLASSIFIER_ALIAS })))
    return classifyByRules(input.request, deps.clock.now());
  const deadline = AbortSignal.timeout(input.deadlineMs ?? LLM_DEADLINE_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline]) : deadline;
  try {
    return await classifyWithLlm(deps.llm, {
      request: input.request,
      signal,
      context: input.context,
      now: deps.clock.now(),
    });
  } catch (error) {
    if (input.signal?.aborted) throw error;
    const why = deadline.aborted
      ? `no answer within ${input.deadlineMs ?? LLM_DEADLINE_MS} ms`
      : (error as Error).message;
    return { ...classifyByRules(input.request, deps.clock.now()), fallback: why.slice(0, 500) };
  }
}
