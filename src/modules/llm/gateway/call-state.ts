import type { FailedAttempt } from '../errors.ts';
import type { CallTelemetry } from '../telemetry/call-telemetry.ts';
import type { BudgetTracker } from './budget.ts';
import type { toSdkTools } from './build-model.ts';
import type { callContext } from './call-input.ts';
import type { LlmStreamRequest } from './types.ts';

/** State shared by the attempts of one logical call. */
export interface CallState {
  callId: string;
  request: LlmStreamRequest;
  context: ReturnType<typeof callContext>;
  telemetry: CallTelemetry;
  budget: BudgetTracker;
  tools: ReturnType<typeof toSdkTools>;
  basePromptTokens: number;
  /** Text the caller has received so far, over every attempt. */
  delivered: string;
  seenToolCalls: Set<string>;
  attempts: number;
  failures: FailedAttempt[];
}
