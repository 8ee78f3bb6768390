import { Readable } from 'node:stream';
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
 * The provider's body, handed on as it arrives. The chunks of one network read (an HTTP chunk
 * per server-sent event, often dozens at once) go on together, in one write at the end of the
 * tick: Node holds a response's writes until then anyway, so nothing waits longer, and the
 * client's socket gets one write instead of one per event. Each batch is read for usage only
 * after it was passed on, so metering never delays a byte. However it ends — finished, client
 * gone, provider broken — `onEnd` is called once, and the upstream exchange is dropped if
 * unfinished.
 */
export function relayBody(upstream: Readable, tap: UsageTap, options: RelayOptions): Readable {
  let ttftMs: number | null = options.ttftMs ?? null;
  let ended = false;
  let pending: Buffer[] = [];
  let scheduled = false;
  const end = (outcome: RelayEnd['outcome'], error?: Error) => {
    if (ended) return;
    ended = true;
    if (outcome !== 'ok') options.cancel();
    options.onEnd({ outcome, ttftMs, usage: tap.finish(), ...(error ? { error } : {}) });
  };
  // The consumer asking for more after it said "enough" resumes the provider's body.
  const relay = new Readable({ read: () => void upstream.resume() });
  const flush = () => {
    scheduled = false;
    if (!pending.length || relay.destroyed) return;
    const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    if (!relay.push(batch)) upstream.pause();
    tap.push(batch);
  };
  const take = (chunk: Buffer) => {
    ttftMs ??= options.now() - options.t0;
    pending.push(chunk);
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flush);
  };
  for (const chunk of options.head ?? []) take(chunk);
  upstream.on('data', take);
  upstream.on('end', () => {
    flush();
    end('ok');
    relay.push(null);
  });
  upstream.on('error', (error) => {
    flush();
    end(options.signal.aborted ? 'aborted' : 'error', error);
    relay.destroy(error);
  });
  // The body stopped without an end or an error (the connection closed under it).
  upstream.on('close', () => {
    if (ended) return;
    flush();
    const error = new Error('terminated: the provider closed the connection mid-answer');
    end(options.signal.aborted ? 'aborted' : 'error', error);
    relay.destroy(error);
  });
  // Whoever reads the relay went away before the provider finished (the client left).
  relay.on('close', () => end('aborted'));
  return relay;
}
