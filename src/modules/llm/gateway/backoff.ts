/** Retry timing: exponential backoff with full jitter, and the provider's `retry-after` when it sends one. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/**
 * Full jitter (AWS architecture blog): a uniform delay in [0, min(cap, base·2^retry)), so clients
 * that failed together do not retry together.
 */
export function fullJitterDelay(policy: RetryPolicy, retryIndex: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next try: the provider's `retry-after` when given (capped), else full jitter.
 * `exceedsCap` says the provider asked for longer than we are willing to wait.
 */
export function retryDelay(
  policy: RetryPolicy,
  retryIndex: number,
  retryAfterMs: number | undefined,
  random: () => number,
): { delayMs: number; exceedsCap: boolean } {
  if (retryAfterMs !== undefined) {
    return {
      delayMs: Math.min(retryAfterMs, policy.maxRetryAfterMs),
      exceedsCap: retryAfterMs > policy.maxRetryAfterMs,
    };
  }
  return { delayMs: fullJitterDelay(policy, retryIndex, random), exceedsCap: false };
}

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date), from response headers. */
export function parseRetryAfter(
  headers: Record<string, string | undefined> | undefined,
  nowMs: number,
): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A sleep that ends early (rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
