import { type Readable, Transform } from 'node:stream';
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
  /** Aborted when the client left. */
  signal: AbortSignal;
  /** Drops the upstream exchange (called when the relay stops before the provider's body ended). */
  cancel(): void;
  onEnd(end: RelayEnd): void;
  /** What was read already (a whole answer that turned out too large to hold), sent first. */
  head?: Buffer[];
  ttftMs?: number | null;
}

/**
 * The provider's body, handed on chunk by chunk as it arrives. Each chunk is read for usage only
 * after it was passed on, so metering never delays a byte. However it ends — finished, client
 * gone, provider broken — `onEnd` is called once, and the upstream exchange is dropped if
 * unfinished. A plain Transform: no promise per chunk on the way.
 */
export function relayBody(upstream: Readable, tap: UsageTap, options: RelayOptions): Readable {
  let ttftMs: number | null = options.ttftMs ?? null;
  let ended = false;
  const end = (outcome: RelayEnd['outcome'], error?: Error) => {
    if (ended) return;
    ended = true;
    if (outcome !== 'ok') options.cancel();
    options.onEnd({ outcome, ttftMs, usage: tap.finish(), ...(error ? { error } : {}) });
  };
  const relay = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      ttftMs ??= options.now() - options.t0;
      this.push(chunk);
      tap.push(chunk);
      done();
    },
  });
  upstream.on('end', () => end('ok'));
  upstream.on('error', (error) => {
    const outcome = options.signal.aborted ? 'aborted' : 'error';
    end(outcome, error);
    relay.destroy(error);
  });
  // The body stopped without an end or an error (the connection closed under it).
  upstream.on('close', () => {
    if (ended) return;
    const error = new Error('terminated: the provider closed the connection mid-answer');
    end(options.signal.aborted ? 'aborted' : 'error', error);
    relay.destroy(error);
  });
  // Whoever reads the relay went away before the provider finished (the client left).
  relay.on('close', () => end('aborted'));
  for (const chunk of options.head ?? []) relay.write(chunk);
  upstream.pipe(relay);
  return relay;
}
