/** The budget ran out before the awaited work answered. */
export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
}

/**
 * Settles like `promise`, or rejects with DeadlineExceededError once `signal` aborts, whichever
 * comes first. The work itself is not stopped (a query cannot be taken back); its late outcome is
 * ignored, so a late failure is no unhandled rejection.
 */
export function beforeAbort<T>(promise: Promise<T>, signal: AbortSignal, message: string): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new DeadlineExceededError(message));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineExceededError(message));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
