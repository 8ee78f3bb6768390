import type { IncomingHttpHeaders } from 'node:http';
import type { PassThroughDeps } from '../gateway/create-gateway.ts';
import type { Target } from '../providers/resolve-targets.ts';
import type { Dialect } from './dialect.ts';
import type { CheckBudget, ProxyCaller } from './proxy-caller.ts';
import { clientHeaders, upstreamHeaders } from './proxy-headers.ts';
import { ProxyMeter } from './proxy-meter.ts';
import { type ProxyReply, refusalReply } from './proxy-reply.ts';
import { relayAnswer } from './relay-answer.ts';
import { resolveProxyTargets } from './resolve-proxy-targets.ts';
import {
  describeUpstreamError,
  failureTypeOf,
  isRetryableStatus,
  upstreamErrorMessage,
} from './upstream-failure.ts';
import { postUpstream, type UpstreamAgents, type UpstreamResponse } from './upstream-request.ts';

export interface ProxyDeps {
  gateway: PassThroughDeps;
  checkBudget: CheckBudget;
  /** Kept-alive connections to the providers. */
  agents: UpstreamAgents;
}

/** One client request, read by the route; nothing here knows HTTP frameworks. */
export interface ProxyRequest {
  dialect: Dialect;
  /** The model the client named (Gemini: from the path). */
  model: string;
  /** The path below the target provider's API base URL, for a model id. */
  path(modelId: string): string;
  /** The query string sent on (`?alt=sse`, `?beta=true`), the client's key taken out. */
  search: string;
  body: Record<string, unknown>;
  /** The client's bytes, sent as they are when the body needs no change. */
  raw: Uint8Array;
  stream: boolean;
  headers: IncomingHttpHeaders;
  /** Token counting costs nothing: forwarded with fallback, but neither budgeted nor booked. */
  booked: boolean;
  /** Aborts when the client goes away: the upstream request is cancelled with it. */
  signal: AbortSignal;
}

/** A target answered (the reply is final), or the request moves on, for this reason. */
type TargetResult = { reply: ProxyReply } | { next: string };

/**
 * Forwards a provider-protocol request down its model chain and hands back the first answer: the
 * provider's bytes as they stream, its 4xx as it is. A connection failure, a timeout before the
 * headers, or a 408/429/5xx moves on to the next target while nothing has reached the client;
 * after that the stream is the client's (its SDK retries on its own). Each attempt is one
 * `llm_calls` row of one call id, priced from usage read off the stream on the side.
 */
export async function forwardModelRequest(
  deps: ProxyDeps,
  caller: ProxyCaller,
  request: ProxyRequest,
): Promise<ProxyReply> {
  const { gateway } = deps;
  const { dialect } = request;
  if (request.booked) {
    const verdict = await deps.checkBudget(caller);
    if (!verdict.ok) return refusalReply(dialect, 'budget', verdict.message);
  }
  const resolved = await resolveProxyTargets(gateway.registry, gateway.aliases, request.model, dialect.kind);
  if (!resolved.ok) return refusalReply(dialect, 'no-model', resolved.message);
  const meter = new ProxyMeter(gateway, {
    alias: resolved.alias,
    requested: request.model,
    context: {
      ...(caller.projectId ? { projectId: caller.projectId } : {}),
      ...(caller.agentSessionId ? { agentSessionId: caller.agentSessionId } : {}),
    },
    booked: request.booked,
  });
  const { targets } = resolved;
  const skipped: string[] = [];
  for (const [index, target] of targets.entries()) {
    const from = targets[index - 1];
    const outcome = await tryTarget(
      deps,
      meter,
      request,
      target,
      from?.key ?? null,
      index + 1 < targets.length,
    );
    if ('reply' in outcome) return outcome.reply;
    skipped.push(`${target.key}: ${outcome.next}`);
    const next = targets[index + 1];
    if (next) meter.fellBack(target, next, outcome.next);
  }
  meter.end(request.signal.aborted ? 'aborted' : 'error', skipped.length ? 'unavailable' : undefined);
  return refusalReply(
    dialect,
    'unavailable',
    `No provider answered "${request.model}" (${skipped.join('; ')}); Orchard's LLM providers page shows their state.`,
  );
}

async function tryTarget(
  deps: ProxyDeps,
  meter: ProxyMeter,
  request: ProxyRequest,
  target: Target,
  fallbackFrom: string | null,
  hasNext: boolean,
): Promise<TargetResult> {
  const { gateway } = deps;
  const { dialect } = request;
  const breaker = gateway.breakers.get(target.provider.name);
  if (!breaker.tryAcquire()) {
    meter.breakerOpen(target, fallbackFrom);
    return { next: 'breaker_open' };
  }
  const attempt = meter.begin(target, fallbackFrom);
  let apiKey: string | undefined;
  try {
    apiKey = await gateway.registry.apiKey(target.provider);
  } catch (error) {
    breaker.release();
    const message = (error as Error).message;
    attempt.end({ outcome: 'error', failure: { type: 'not_configured', message } });
    gateway.logger.warn(
      { callId: meter.callId, target: target.key, err: { message } },
      'LLM provider key unavailable',
    );
    return { next: 'not_configured' };
  }

  // Streams answer with headers at once; a whole answer's headers wait for the whole generation,
  // so only streams get the connect timeout (the client's own timeout covers the rest).
  const body = dialect.prepareBody(request.body, target.modelId, request.stream);
  let response: UpstreamResponse;
  try {
    response = await postUpstream(
      deps.agents,
      deps.agents.target(target.provider, `${request.path(target.modelId)}${request.search}`),
      {
        headers: upstreamHeaders(dialect, request.headers, apiKey),
        body: body ? JSON.stringify(body) : request.raw,
        signal: request.signal,
        ...(request.stream ? { headersTimeoutMs: gateway.timeouts.connectMs } : {}),
      },
    );
  } catch (error) {
    if (request.signal.aborted) {
      breaker.release();
      attempt.end({ outcome: 'aborted' });
      meter.end('aborted');
      return { reply: refusalReply(dialect, 'unavailable', 'The client went away.') };
    }
    breaker.failure();
    const type = (error as { kind?: string }).kind === 'headers_timeout' ? 'connect_timeout' : 'network';
    attempt.end({ outcome: 'error', failure: { type, message: describeUpstreamError(error) } });
    return { next: type };
  }

  if (response.status >= 200 && response.status < 300) {
    return {
      reply: await relayAnswer({
        gateway,
        meter,
        attempt,
        breaker,
        dialect,
        response,
        stream: request.stream,
        signal: request.signal,
      }),
    };
  }

  const bytes = await readAll(response);
  const retryable = isRetryableStatus(response.status);
  const failure = {
    type: failureTypeOf(response.status),
    status: response.status,
    message: upstreamErrorMessage(response.status, bytes),
  };
  attempt.end({ outcome: 'error', failure });
  if (retryable) breaker.failure();
  else breaker.release();
  if (retryable && hasNext) return { next: failure.type };
  if (failure.type === 'auth') {
    gateway.logger.warn(
      { callId: meter.callId, target: target.key, status: response.status },
      "LLM provider refused Orchard's key for it; check the provider's API key",
    );
  }
  meter.end('error', failure.type);
  return {
    reply: {
      status: response.status,
      headers: { ...clientHeaders(response.headers), 'x-orchard-call-id': meter.callId },
      body: bytes,
    },
  };
}

/** A provider's error answer, whole (an error body that breaks off is kept as far as it came). */
async function readAll(response: UpstreamResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
  } catch {
    response.cancel();
  }
  return Buffer.concat(chunks);
}
