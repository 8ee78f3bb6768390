import type { ModelMessage } from 'ai';
import type { z } from 'zod';

export type { ModelMessage as LlmMessage } from 'ai';

/** A tool the model may call; Orchard never executes it inside the gateway — the caller does. */
export interface LlmTool {
  description?: string;
  /** A zod schema or a JSON Schema object for the arguments. */
  inputSchema: z.ZodType | Record<string, unknown>;
}

/** Limits for one logical call (all attempts, retries and fallbacks together). */
export interface LlmBudget {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** Where a call belongs, for records, telemetry and cost views. */
export interface LlmCallContext {
  operationId?: string;
  projectId?: string;
  conversationId?: string;
  /** The agent session the call is made for (in-process, or through the proxy with the session's token). */
  agentSessionId?: string;
}

export interface LlmStreamRequest {
  /** A model alias from config (`architect`, `coder`, `planner`, `fast`): an ordered fallback chain. */
  alias?: string;
  /** One model, `provider/model` (or a model id that only one provider lists). */
  model?: string;
  messages: ModelMessage[];
  system?: string;
  tools?: Record<string, LlmTool>;
  /** Ask for JSON matching this schema (the provider's native structured output where it has one). */
  schema?: z.ZodType;
  budget?: LlmBudget;
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  context?: LlmCallContext;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export type LlmFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

export type LlmEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; id: string; name: string; args: unknown }
  /** One attempt's usage (estimated when the stream broke before the provider reported it). */
  | {
      type: 'usage';
      provider: string;
      model: string;
      usage: LlmUsage;
      costUsd: number | null;
      estimated: boolean;
    }
  | {
      type: 'finish';
      reason: LlmFinishReason;
      /** Totals over every attempt of the call. */
      usage: LlmUsage;
      costUsd: number;
      callId: string;
      provider: string;
      model: string;
      attempts: number;
    };

/** The stream of one logical call; `callId` groups its attempts in `llm_calls`. */
export interface LlmStream extends AsyncIterable<LlmEvent> {
  readonly callId: string;
}

export interface LlmToolCall {
  id: string;
  name: string;
  args: unknown;
}

export interface LlmGenerateResult {
  text: string;
  toolCalls: LlmToolCall[];
  finishReason: LlmFinishReason;
  usage: LlmUsage;
  costUsd: number;
  callId: string;
  provider: string;
  model: string;
  attempts: number;
}

export interface LlmObjectResult<T> extends Omit<LlmGenerateResult, 'toolCalls'> {
  object: T;
  /** Re-asks needed before the answer matched the schema. */
  repairs: number;
}

export const ZERO_USAGE: LlmUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
}
