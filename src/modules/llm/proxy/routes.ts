import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { CredentialDeps } from '../../identity/index.ts';
import type { LlmGateway } from '../gateway/create-gateway.ts';
import { anthropicDialect } from './anthropic-dialect.ts';
import { authenticateCaller, type CallerDeps } from './authenticate-caller.ts';
import type { Dialect, RefusalKind } from './dialect.ts';
import { forwardModelRequest, type ProxyDeps } from './forward-request.ts';
import { geminiDialect } from './gemini-dialect.ts';
import { anthropicModelList, listProxyModels, openaiModelList } from './list-proxy-models.ts';
import { openaiChatDialect, openaiResponsesDialect } from './openai-dialect.ts';
import { allowAllBudgets, type CheckBudget } from './proxy-caller.ts';
import { type ProxyReply, refusalReply } from './proxy-reply.ts';
import { TokenBindings } from './token-bindings.ts';
import { createUpstreamAgents } from './upstream-request.ts';

/** Anthropic's request size limit; coding agents send whole files and screenshots. */
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;
const GEMINI_METHOD =
  /^(v1beta|v1|v1alpha)\/models\/([^/]+):(generateContent|streamGenerateContent|countTokens)$/;

export interface LlmProxyDeps {
  config: Config;
  db: Queryable;
  clock: Clock;
  llm: LlmGateway;
  /** The HTTP server's credential cache and last-use recorder. */
  credentials: CredentialDeps;
  /** The budget gate (agent sessions); by default every request may spend. */
  checkBudget?: CheckBudget;
}

/** What one route forwards: its protocol, the upstream path, the model, and whether it spends tokens. */
interface Endpoint {
  path(modelId: string): string;
  /** From the path (Gemini); otherwise the body's `model`. */
  model?: string;
  stream?: boolean;
  booked: boolean;
}

/**
 * `/llm/{anthropic,openai,gemini}/…`: the providers' own APIs, for coding-agent CLIs and SDKs
 * pointed at Orchard with an Orchard token as their key. Outside `/api`: the client's SDK, not
 * Orchard's problem+json, is the audience of every answer, errors included. Hidden from the
 * OpenAPI document (the providers document these).
 */
export function llmProxyRoutes(deps: LlmProxyDeps) {
  const gateway = deps.llm.passThrough;
  const callerDeps: CallerDeps = {
    db: deps.db,
    clock: deps.clock,
    credentials: deps.credentials,
    bindings: new TokenBindings(deps.db, deps.config.access.cacheTtlMs, () => performance.now()),
  };
  const agents = createUpstreamAgents();
  const proxyDeps: ProxyDeps = { gateway, checkBudget: deps.checkBudget ?? allowAllBudgets, agents };
  const caller = async (dialect: Dialect, request: FastifyRequest) =>
    authenticateCaller(callerDeps, dialect.credential(request.headers, queryOf(request)));

  const forward =
    (dialect: Dialect, endpointOf: (request: FastifyRequest) => Endpoint | string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const check = await caller(dialect, request);
      if (!check.ok) return send(reply, refusalReply(dialect, check.kind, check.message));
      const endpoint = endpointOf(request);
      if (typeof endpoint === 'string') return send(reply, refusalReply(dialect, 'no-model', endpoint));
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const body = parseObject(raw);
      if (!body)
        return send(reply, refusalReply(dialect, 'bad-request', 'The request body must be a JSON object.'));
      const model = endpoint.model ?? body.model;
      if (typeof model !== 'string' || !model) {
        const message = 'model: name a model (an alias such as coder, or provider/model).';
        return send(reply, refusalReply(dialect, 'bad-request', message));
      }
      // The client leaving (before or during the answer) cancels the upstream request.
      const gone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) gone.abort(new Error('The client closed the connection.'));
      });
      const query = queryOf(request);
      query.delete('key');
      const result = await forwardModelRequest(proxyDeps, check.caller, {
        dialect,
        model,
        path: endpoint.path,
        search: query.size ? `?${query}` : '',
        body,
        raw,
        stream: endpoint.stream ?? body.stream === true,
        headers: request.headers,
        booked: endpoint.booked,
        signal: gone.signal,
      });
      return send(reply, result);
    };

  const models =
    (dialect: Dialect, shape: (ids: string[], now: Date) => unknown) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const check = await caller(dialect, request);
      if (!check.ok) return send(reply, refusalReply(dialect, check.kind, check.message));
      return reply.send(shape(await listProxyModels(gateway, dialect.kind), deps.clock.now()));
    };

  const fixed =
    (path: string, booked = true) =>
    () => ({ path: () => path, booked });

  return async (app: HttpApp) => {
    app.addHook('onClose', async () => agents.close());
    await app.register(async (scope) => {
      // Bodies are read as bytes: forwarded as they are where nothing changes, parsed once here.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_r, body, done) =>
        done(null, body),
      );
      // Even a body too large or a broken request gets the provider's error shape.
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'LLM proxy request failed');
        const kind: RefusalKind = status >= 500 ? 'unavailable' : 'bad-request';
        const answer = refusalReply(
          dialectOf(request.url),
          kind,
          status >= 500 ? 'Orchard could not forward the request.' : error.message,
        );
        return send(reply, { ...answer, status: status >= 500 ? answer.status : status });
      });
      const post = (url: string, handler: ReturnType<typeof forward>) =>
        scope.post(url, { schema: { hide: true }, bodyLimit: BODY_LIMIT_BYTES }, handler);
      const hidden = { schema: { hide: true } };

      post('/llm/anthropic/v1/messages', forward(anthropicDialect, fixed('/messages')));
      post(
        '/llm/anthropic/v1/messages/count_tokens',
        forward(anthropicDialect, fixed('/messages/count_tokens', false)),
      );
      scope.get('/llm/anthropic/v1/models', hidden, models(anthropicDialect, anthropicModelList));
      post('/llm/openai/v1/chat/completions', forward(openaiChatDialect, fixed('/chat/completions')));
      post('/llm/openai/v1/responses', forward(openaiResponsesDialect, fixed('/responses')));
      scope.get('/llm/openai/v1/models', hidden, models(openaiChatDialect, openaiModelList));
      post('/llm/gemini/:version/models/:target', forward(geminiDialect, geminiEndpoint));
    });
  };
}

/** `v1beta/models/{model}:{method}`: the model and whether it streams are in the path. */
function geminiEndpoint(request: FastifyRequest): Endpoint | string {
  const { version, target } = request.params as { version: string; target: string };
  const match = GEMINI_METHOD.exec(`${version}/models/${target}`);
  if (!match)
    return `No Gemini method ${version}/models/${target}; use v1beta/models/{model}:generateContent, :streamGenerateContent or :countTokens.`;
  const [, , model, method] = match;
  return {
    model: model!,
    path: (modelId) => `/models/${encodeURIComponent(modelId)}:${method}`,
    stream: method === 'streamGenerateContent',
    booked: method !== 'countTokens',
  };
}

function dialectOf(url: string): Dialect {
  if (url.startsWith('/llm/anthropic/')) return anthropicDialect;
  if (url.startsWith('/llm/gemini/')) return geminiDialect;
  if (url.startsWith('/llm/openai/v1/responses')) return openaiResponsesDialect;
  return openaiChatDialect;
}

function send(reply: FastifyReply, result: ProxyReply) {
  const { body } = result;
  if (typeof body !== 'function') return reply.code(result.status).headers(result.headers).send(body);
  // A stream goes straight into the response (Fastify's onResponse hooks still run at its end):
  // one write per network read, the end included, instead of a pipe and a write per chunk.
  reply.hijack();
  try {
    reply.raw.writeHead(result.status, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...result.headers });
  } catch (error) {
    // Header values Node refuses: the client's connection is dropped, and with it the provider's.
    reply.log.error({ err: error }, 'LLM proxy could not start the answer');
    reply.raw.destroy(error as Error);
  }
  body(reply.raw);
  return reply;
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

function parseObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
