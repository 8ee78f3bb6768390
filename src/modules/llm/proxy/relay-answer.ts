import type { CircuitBreaker } from '../gateway/circuit-breaker.ts';
import type { PassThroughDeps } from '../gateway/create-gateway.ts';
import type { Dialect } from './dialect.ts';
import { clientHeaders } from './proxy-headers.ts';
import type { MeteredAttempt, ProxyMeter } from './proxy-meter.ts';
import { type ProxyReply, refusalReply } from './proxy-reply.ts';
import { readWholeAnswer } from './read-whole-answer.ts';
import { type RelayEnd, relayBody } from './relay-body.ts';
import { describeUpstreamError } from './upstream-failure.ts';
import type { UpstreamResponse } from './upstream-request.ts';
import { UsageTap } from './usage-tap.ts';

/** A whole answer up to this size is read before it is sent; a larger one streams on. */
const WHOLE_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * The provider said yes: its body goes to the client, as it streams when the client asked for a
 * stream, else whole in one write. When it ends the attempt is booked with the usage read on the
 * way, and the provider's circuit learns how it went (a client leaving says nothing about the
 * provider).
 */
export async function relayAnswer(input: {
  gateway: PassThroughDeps;
  meter: ProxyMeter;
  attempt: MeteredAttempt;
  breaker: CircuitBreaker;
  dialect: Dialect;
  response: UpstreamResponse;
  /** The client asked for a stream (an event stream, or Gemini's streamed JSON array). */
  stream: boolean;
  signal: AbortSignal;
}): Promise<ProxyReply> {
  const { meter, attempt, breaker, response, dialect } = input;
  const contentType = response.headers['content-type'] ?? '';
  const eventStream = contentType.includes('text/event-stream');
  const headers = {
    ...clientHeaders(response.headers),
    'x-orchard-call-id': meter.callId,
    // Reverse proxies in front of Orchard must not hold the stream back either.
    ...(eventStream ? { 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } : {}),
  };
  const tap = new UsageTap(dialect, contentType);
  const onEnd = (end: RelayEnd) => {
    if (end.outcome === 'ok') breaker.success();
    else if (end.outcome === 'aborted') breaker.release();
    else breaker.failure();
    attempt.end({
      outcome: end.outcome,
      ...(end.usage ? { usage: end.usage } : {}),
      ttftMs: end.ttftMs,
      ...(end.outcome === 'error'
        ? { failure: { type: 'network' as const, message: describeUpstreamError(end.error) } }
        : {}),
    });
    meter.end(end.outcome, end.outcome === 'error' ? 'network' : undefined);
  };
  const relay = { t0: attempt.t0, now: input.gateway.now, signal: input.signal, cancel: response.cancel };

  if (input.stream || eventStream)
    return { status: response.status, headers, body: relayBody(response.body, tap, { ...relay, onEnd }) };

  const answer = await readWholeAnswer(response.body, {
    limit: WHOLE_ANSWER_BYTES,
    t0: attempt.t0,
    now: input.gateway.now,
  });
  if (answer.kind === 'large') {
    const body = relayBody(response.body, tap, { ...relay, head: answer.head, ttftMs: answer.ttftMs, onEnd });
    return { status: response.status, headers, body };
  }
  if (answer.kind === 'broken') {
    for (const chunk of answer.head) tap.push(chunk);
    response.cancel();
    const outcome = input.signal.aborted ? 'aborted' : 'error';
    onEnd({ outcome, ttftMs: answer.ttftMs, usage: tap.finish(), error: answer.error });
    return refusalReply(
      dialect,
      'unavailable',
      `The provider's answer broke off: ${describeUpstreamError(answer.error)}`,
    );
  }
  tap.push(answer.bytes);
  onEnd({ outcome: 'ok', ttftMs: answer.ttftMs, usage: tap.finish() });
  return { status: response.status, headers, body: answer.bytes };
}
