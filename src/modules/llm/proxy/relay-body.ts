import type { Readable, Writable } from 'node:stream';
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

/** Writes a streamed answer into the client's response (or any writable), once it is ready. */
export type BodyWriter = (sink: Writable) => void;

/**
 * The provider's body, handed on as it arrives, straight into the client's response. The chunks
 * of one network read (an HTTP chunk per server-sent event, often dozens at once) go on in one
 * write at the end of the tick: Node holds a response's writes until then anyway, so nothing
 * waits longer, and the client's socket gets one write instead of one per event (the end of the
 * body, when it comes in the same read, joins that write too). Each batch is read for usage only
 * after it was written, so metering never delays a byte. However it ends — finished, client gone,
 * provider broken — `onEnd` is called once, and the upstream exchange is dropped if unfinished.
 */
export function relayBody(upstream: Readable, tap: UsageTap, options: RelayOptions): BodyWriter {
  return (sink) => {
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
    const flush = () => {
      scheduled = false;
      if (!pending.length || sink.destroyed) return;
      const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      // A client reading slower than the provider writes holds the provider back.
      if (!sink.write(batch)) {
        upstream.pause();
        sink.once('drain', () => upstream.resume());
      }
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
      sink.end();
    });
    upstream.on('error', (error) => {
      flush();
      end(options.signal.aborted ? 'aborted' : 'error', error);
      sink.destroy(error);
    });
    // The body stopped without an end or an error (the connection closed under it).
    upstream.on('close', () => {
      if (ended) return;
      flush();
      const error = new Error('terminated: the provider closed the connection mid-answer');
      end(options.signal.aborted ? 'aborted' : 'error', error);
      sink.destroy(error);
    });
    // The client went away before the provider finished.
    sink.on('close', () => end('aborted'));
    // Paused when a whole answer turned out too large to hold: it streams on from here.
    upstream.resume();
  };
}
