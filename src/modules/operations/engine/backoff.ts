import type { RetryPolicy } from './define.ts';

/**
 * The delay before retrying after failed attempt `attempt` (1-based): "full jitter" —
 * uniformly random in [0, min(maxMs, baseMs × 2^(attempt-1))). `random` is injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  policy: Required<RetryPolicy>,
  random: () => number = Math.random,
) {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
