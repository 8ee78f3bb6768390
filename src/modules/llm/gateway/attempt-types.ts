import type { LanguageModel, ModelMessage, ToolSet } from 'ai';
import type { z } from 'zod';
import type { BudgetExceededError } from '../errors.ts';
import type { BudgetTracker } from './budget.ts';
import type { AttemptFailure } from './classify-error.ts';
import type { ResumeFilter } from './resume.ts';
import type { LlmFinishReason, LlmUsage } from './types.ts';
import type { Timeouts } from './watchdog.ts';

export interface AttemptInput {
  model: LanguageModel;
  messages: ModelMessage[];
  system?: string;
  tools?: ToolSet;
  schema?: z.ZodType;
  providerOptions?: Record<string, Record<string, string | boolean | number>>;
  maxOutputTokens?: number;
  temperature?: number;
  timeouts: Timeouts;
  signal?: AbortSignal;
  /** Set when this attempt resumes a broken stream. */
  filter?: ResumeFilter;
  budget: BudgetTracker;
  /** Tool calls already handed to the caller (a resumed stream may repeat them). */
  seenToolCalls: Set<string>;
  promptTokens: number;
  now: () => number;
}

export interface AttemptResult {
  outcome: 'ok' | 'error' | 'budget_exceeded' | 'aborted';
  failure?: AttemptFailure;
  budgetError?: BudgetExceededError;
  finishReason: LlmFinishReason | null;
  usage: LlmUsage;
  usageEstimated: boolean;
  /** From the request to the first content chunk of this attempt. */
  ttftMs: number | null;
  durationMs: number;
  /** Text this attempt handed to the caller (after overlap removal). */
  delivered: string;
  responseId?: string;
  responseModel?: string;
}
