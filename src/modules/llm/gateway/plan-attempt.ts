import type { ModelMessage } from 'ai';
import { allowsPrefill } from '../providers/provider-entry.ts';
import type { Target } from '../providers/resolve-targets.ts';
import type { AttemptInput } from './attempt-types.ts';
import { languageModel } from './build-model.ts';
import type { CallState } from './call-state.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { estimateTokens } from './pricing.ts';
import { CONTINUE_PROMPT, ResumeFilter, type ResumeMode, resumeMessages } from './resume.ts';

export interface AttemptPlan {
  messages: ModelMessage[];
  resumeMode: ResumeMode | null;
  filter: ResumeFilter | undefined;
  providerOptions: Record<string, Record<string, string | boolean | number>> | undefined;
  promptTokens: number;
}

/**
 * What the next attempt sends: the caller's messages, or — when text already reached the caller —
 * those messages plus the partial text to continue from (prefill where the model takes it).
 */
export function planAttempt(input: {
  target: Target;
  messages: ModelMessage[];
  delivered: string;
  basePromptTokens: number;
  structured: boolean;
  /** The model refused a prefill earlier (learned at run time). */
  prefillRefused: boolean;
}): AttemptPlan {
  const { target, delivered } = input;
  const options: Record<string, Record<string, string | boolean | number>> = {};
  // Native structured output as plain JSON text (not a forced tool), so a broken JSON stream can be continued.
  if (input.structured && target.provider.kind === 'anthropic')
    options.anthropic = { structuredOutputMode: 'outputFormat' };
  if (!delivered) {
    return {
      messages: input.messages,
      resumeMode: null,
      filter: undefined,
      providerOptions: nonEmpty(options),
      promptTokens: input.basePromptTokens,
    };
  }
  const mode: ResumeMode =
    allowsPrefill(target.provider, target.model) && !input.prefillRefused ? 'prefill' : 'continue';
  if (mode === 'prefill' && target.provider.kind === 'openai-compatible') {
    // vLLM's way to continue a trailing assistant message.
    options[target.provider.name] = { continue_final_message: true, add_generation_prompt: false };
  }
  const extra = estimateTokens(delivered) + (mode === 'continue' ? estimateTokens(CONTINUE_PROMPT) : 0);
  return {
    messages: resumeMessages(input.messages, delivered, mode),
    resumeMode: mode,
    filter: new ResumeFilter(delivered, mode),
    providerOptions: nonEmpty(options),
    promptTokens: input.basePromptTokens + extra,
  };
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length ? value : undefined;
}

/** Everything one AttemptRun needs: the plan, the call's request, and the gateway's settings. */
export function attemptInput(
  deps: GatewayDeps,
  call: CallState,
  target: Target,
  plan: AttemptPlan,
  apiKey: string | undefined,
  maxOutputTokens: number | undefined,
): AttemptInput {
  const { request } = call;
  return {
    model: languageModel(target.provider, target.modelId, apiKey),
    messages: plan.messages,
    ...(request.system ? { system: request.system } : {}),
    ...(call.tools ? { tools: call.tools } : {}),
    ...(request.schema ? { schema: request.schema } : {}),
    ...(plan.providerOptions ? { providerOptions: plan.providerOptions } : {}),
    ...(maxOutputTokens ? { maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    timeouts: deps.timeouts,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(plan.filter ? { filter: plan.filter } : {}),
    budget: call.budget,
    seenToolCalls: call.seenToolCalls,
    promptTokens: plan.promptTokens,
    now: deps.now,
  };
}
