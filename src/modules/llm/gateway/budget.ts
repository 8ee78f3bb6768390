import { BudgetExceededError } from '../errors.ts';
import { costOf, type ModelPrices } from './pricing.ts';
import { addUsage, type LlmBudget, type LlmUsage, ZERO_USAGE } from './types.ts';

/**
 * Tracks one logical call against its budget: settled attempts count with their reported usage,
 * the running attempt with an estimate from the text streamed so far. Checked before each
 * attempt (by estimate of the prompt) and on every chunk (the stream is aborted when over).
 */
export class BudgetTracker {
  private settled: LlmUsage = ZERO_USAGE;
  private settledCost = 0;
  private running = { inputTokens: 0, outputChars: 0, prices: undefined as ModelPrices | undefined };

  constructor(readonly budget: LlmBudget = {}) {}

  get spent(): { usage: LlmUsage; costUsd: number } {
    return { usage: this.settled, costUsd: this.settledCost };
  }

  /** Before an attempt: refuses when the prompt alone would break the input or cost budget. */
  beginAttempt(promptTokens: number, prices: ModelPrices | undefined) {
    const { inputTokens, costUsd } = this.budget;
    const input = this.settled.inputTokens + promptTokens;
    if (inputTokens !== undefined && input > inputTokens) {
      throw new BudgetExceededError('inputTokens', inputTokens, input, 'estimate');
    }
    const cost = this.settledCost + (costOf({ ...ZERO_USAGE, inputTokens: promptTokens }, prices) ?? 0);
    if (costUsd !== undefined && cost > costUsd)
      throw new BudgetExceededError('costUsd', costUsd, cost, 'estimate');
    this.running = { inputTokens: promptTokens, outputChars: 0, prices };
  }

  /** Output tokens still allowed, to cap the provider's own max tokens. */
  remainingOutputTokens(): number | undefined {
    const { outputTokens } = this.budget;
    return outputTokens === undefined ? undefined : Math.max(1, outputTokens - this.settled.outputTokens);
  }

  /** While streaming: returns the error to stop with once the estimate passes a limit. */
  addOutput(chars: number): BudgetExceededError | undefined {
    this.running.outputChars += chars;
    const { outputTokens, costUsd } = this.budget;
    const output = this.settled.outputTokens + Math.ceil(this.running.outputChars / 4);
    if (outputTokens !== undefined && output > outputTokens) {
      return new BudgetExceededError('outputTokens', outputTokens, output, 'stream');
    }
    if (costUsd !== undefined) {
      const usage = {
        ...ZERO_USAGE,
        inputTokens: this.running.inputTokens,
        outputTokens: Math.ceil(this.running.outputChars / 4),
      };
      const cost = this.settledCost + (costOf(usage, this.running.prices) ?? 0);
      if (cost > costUsd) return new BudgetExceededError('costUsd', costUsd, cost, 'stream');
    }
    return undefined;
  }

  /** After an attempt: its real (or estimated) usage replaces the running estimate. */
  settle(usage: LlmUsage, cost: number | null) {
    this.settled = addUsage(this.settled, usage);
    this.settledCost += cost ?? 0;
    this.running = { inputTokens: 0, outputChars: 0, prices: undefined };
  }
}
