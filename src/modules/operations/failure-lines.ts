/** What `failureLines` reads of an operation's `error` event. */
export interface FailureEvent {
  step: string | null;
  data: unknown;
  at: string;
}

/**
 * The lines an `error` event becomes in an operation's log — the step that failed, its attempt,
 * whether it will be retried (and when), the message with its later lines indented. One wording
 * for `orchard ops watch` and the web UI's operation page (pure: the UI bundles it too).
 */
export function failureLines(event: FailureEvent): string[] {
  const d = (event.data ?? {}) as {
    message?: unknown;
    attempt?: unknown;
    maxAttempts?: unknown;
    willRetry?: unknown;
    retryAt?: unknown;
  };
  const [first = '', ...rest] = (typeof d.message === 'string' ? d.message : 'failed').split('\n');
  const attempt =
    typeof d.attempt === 'number' && typeof d.maxAttempts === 'number'
      ? ` (attempt ${d.attempt} of ${d.maxAttempts})`
      : '';
  const what = `${event.step ?? 'the operation'} failed${attempt}`;
  let head = `✗ ${what}: ${first}`;
  if (d.willRetry === true) {
    const inMs = typeof d.retryAt === 'string' ? Date.parse(d.retryAt) - Date.parse(event.at) : Number.NaN;
    const when = Number.isFinite(inMs) && inMs > 0 ? ` in ${(inMs / 1000).toFixed(1)} s` : '';
    head = `! ${what}, will retry${when}: ${first}`;
  }
  return [head, ...rest.map((line) => `    ${line}`)];
}
