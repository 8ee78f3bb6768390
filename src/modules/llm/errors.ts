import { DomainError } from '../../platform/errors.ts';

export type BudgetKind = 'inputTokens' | 'outputTokens' | 'costUsd';

/** A call would exceed (checked before, by estimate) or did exceed (while streaming) its budget. */
export class BudgetExceededError extends DomainError {
  readonly code = 'llm_budget_exceeded';
  readonly status = 402;
  constructor(
    readonly kind: BudgetKind,
    readonly limit: number,
    readonly spent: number,
    readonly when: 'estimate' | 'stream',
  ) {
    const what =
      kind === 'costUsd'
        ? `cost $${spent.toFixed(6)}`
        : `${spent} ${kind === 'inputTokens' ? 'input' : 'output'} tokens`;
    const verb = when === 'estimate' ? 'would need about' : 'reached';
    super(
      `The LLM call ${verb} ${what}, over its budget of ${kind === 'costUsd' ? `$${limit}` : limit}; raise the budget or shorten the prompt.`,
      { budget: kind, limit, spent, when },
    );
  }
}

/** Structured output still did not match the schema after the bounded re-asks. */
export class StructuredOutputError extends DomainError {
  readonly code = 'llm_invalid_output';
  readonly status = 502;
  constructor(
    message: string,
    readonly issues: string[],
    readonly lastText: string,
  ) {
    super(message, { issues });
  }
}

export interface FailedAttempt {
  provider: string;
  model: string;
  errorType: string;
  status?: number;
  /** For errors retrying cannot fix (keys, bad requests): the reason, API keys masked. */
  message?: string;
}

/** Every model of the chain failed (retries spent, circuit open, or a non-retryable error). */
export class LlmUnavailableError extends DomainError {
  readonly code = 'llm_unavailable';
  readonly status = 503;
  constructor(
    message: string,
    readonly attempts: FailedAttempt[],
  ) {
    super(message, { attempts });
  }
}

/** No provider, model or alias answers to the requested name. */
export class LlmNotConfiguredError extends DomainError {
  readonly code = 'llm_not_configured';
  readonly status = 400;
}
