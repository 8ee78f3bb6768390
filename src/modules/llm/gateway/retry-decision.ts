import { type RetryPolicy, retryDelay } from './backoff.ts';
import type { AttemptFailure } from './classify-error.ts';

export type RetryDecision = { next: 'retry'; waitMs: number } | { next: 'fallback' };

/**
 * After a failed attempt on a model: try it again (after how long), or move to the next model.
 * Not retryable, retries spent or the circuit open → fall back; a retry-after longer than we wait
 * → fall back when there is a model to fall back to; the first resume after a stream broke
 * mid-answer goes at once (the provider was answering); otherwise full jitter or retry-after.
 */
export function decideRetry(input: {
  failure: AttemptFailure;
  /** Tries so far on this model, this one included. */
  tries: number;
  policy: RetryPolicy;
  breakerOpen: boolean;
  hasNext: boolean;
  /** This is the first time a stream on this model broke after content arrived. */
  firstMidStreamBreak: boolean;
  random: () => number;
}): RetryDecision {
  const { failure, tries, policy } = input;
  if (!failure.retryable || tries >= policy.maxAttempts || input.breakerOpen) return { next: 'fallback' };
  const { delayMs, exceedsCap } = retryDelay(policy, tries - 1, failure.retryAfterMs, input.random);
  if (exceedsCap && input.hasNext) return { next: 'fallback' };
  const immediate = input.firstMidStreamBreak && failure.retryAfterMs === undefined;
  return { next: 'retry', waitMs: immediate ? 0 : delayMs };
}
