import type { CircuitBreaker } from '../gateway/circuit-breaker.ts';
import type { PassThroughDeps } from '../gateway/create-gateway.ts';
import type { Dialect } from './dialect.ts';
import { clientHeaders } from './proxy-headers.ts';
import type { MeteredAttempt, ProxyMeter } from './proxy-meter.ts';
import type { ProxyReply } from './proxy-reply.ts';
import { relayBody } from './relay-body.ts';
import { describeFetchError } from './upstream-failure.ts';
import { UsageTap } from './usage-tap.ts';

/**
 * The provider said yes: its body goes to the client as it streams. When it ends the attempt is
 * booked with the usage read on the way, and the provider's circuit learns how it went (a client
 * leaving says nothing about the provider).
 */
export function relayAnswer(input: {
  gateway: PassThroughDeps;
  meter: ProxyMeter;
  attempt: MeteredAttempt;
  breaker: CircuitBreaker;
  dialect: Dialect;
  response: Response;
  signal: AbortSignal;
}): ProxyReply {
  const { meter, attempt, breaker, response } = input;
  const contentType = response.headers.get('content-type') ?? '';
  const headers = {
    ...clientHeaders(response.headers),
    'x-orchard-call-id': meter.callId,
    // Reverse proxies in front of Orchard must not hold the stream back either.
    ...(contentType.includes('text/event-stream')
      ? { 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }
      : {}),
  };
  const body = relayBody(response.body ?? new ReadableStream(), new UsageTap(input.dialect, contentType), {
    t0: attempt.t0,
    now: input.gateway.now,
    signal: input.signal,
    onEnd: (end) => {
      if (end.outcome === 'ok') breaker.success();
      else if (end.outcome === 'aborted') breaker.release();
      else breaker.failure();
      attempt.end({
        outcome: end.outcome,
        ...(end.usage ? { usage: end.usage } : {}),
        ttftMs: end.ttftMs,
        ...(end.outcome === 'error'
          ? { failure: { type: 'network' as const, message: describeFetchError(end.error) } }
          : {}),
      });
      meter.end(end.outcome, end.outcome === 'error' ? 'network' : undefined);
    },
  });
  return { status: response.status, headers, body };
}
