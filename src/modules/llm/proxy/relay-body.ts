import type { LlmUsage } from '../gateway/types.ts';
import type { UsageTap } from './usage-tap.ts';

export interface RelayEnd {
  /** `ok`: the provider's body ended; `aborted`: the client left; `error`: the provider's body broke. */
  outcome: 'ok' | 'aborted' | 'error';
  /** From the request to the first byte of the body. */
  ttftMs: number | null;
  usage: LlmUsage | undefined;
  error?: Error;
}

export interface RelayOptions {
  t0: number;
  now: () => number;
  /** Aborted when the client left (and on the connect timeout, before any byte). */
  signal: AbortSignal;
  onEnd(end: RelayEnd): void;
}

/**
 * The provider's body, handed on chunk by chunk as it arrives. Each chunk is read for usage only
 * after it went out, so metering never delays a byte. However it ends — finished, client gone,
 * provider broken — `onEnd` is called once, and the upstream request is cancelled if unfinished.
 */
export async function* relayBody(
  body: ReadableStream<Uint8Array>,
  tap: UsageTap,
  options: RelayOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = body.getReader();
  let untapped: Uint8Array | undefined;
  let ttftMs: number | null = null;
  let outcome: RelayEnd['outcome'] = 'aborted';
  let error: Error | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        outcome = 'ok';
        return;
      }
      ttftMs ??= options.now() - options.t0;
      untapped = value;
      yield value;
      tap.push(value);
      untapped = undefined;
    }
  } catch (caught) {
    outcome = options.signal.aborted ? 'aborted' : 'error';
    error = caught as Error;
    throw caught;
  } finally {
    if (untapped) tap.push(untapped);
    if (outcome !== 'ok') reader.cancel().catch(() => undefined);
    options.onEnd({ outcome, ttftMs, usage: tap.finish(), ...(error ? { error } : {}) });
  }
}
