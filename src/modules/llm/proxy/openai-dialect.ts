import { bearerToken, count, type Dialect, field, type RefusalKind, report } from './dialect.ts';

/**
 * Status, type and code per refusal, as OpenAI answers. A spent budget is 429 `insufficient_quota`
 * (what OpenAI sends when credit runs out; Codex stops on it) with `x-should-retry: false`, which
 * keeps the openai SDK from retrying it as a rate limit.
 */
const REFUSALS: Record<RefusalKind, [number, string, string | null]> = {
  unauthenticated: [401, 'invalid_request_error', 'invalid_api_key'],
  forbidden: [403, 'invalid_request_error', 'insufficient_permissions'],
  budget: [429, 'insufficient_quota', 'insufficient_quota'],
  'no-model': [404, 'invalid_request_error', 'model_not_found'],
  unavailable: [503, 'server_error', 'service_unavailable'],
  'bad-request': [400, 'invalid_request_error', null],
};

const openaiBase = {
  kind: 'openai-compatible',
  forwardedHeaders: ['openai-beta', 'user-agent'],
  credential: (headers) => bearerToken(headers),
  refusal(kind, message) {
    const [status, type, code] = REFUSALS[kind];
    return {
      status,
      body: { error: { message, type, param: null, code } },
      ...(kind === 'budget' ? { headers: { 'x-should-retry': 'false' } } : {}),
    };
  },
  authHeader: (apiKey) => ['authorization', `Bearer ${apiKey}`],
} satisfies Partial<Dialect>;

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/** Chat Completions (`/v1/chat/completions`): usage arrives in a last chunk when asked for. */
export const openaiChatDialect: Dialect = {
  ...openaiBase,
  name: 'openai-chat',
  // Streams report usage only with include_usage: asked for always, so every stream is metered.
  // The extra last chunk (`choices: []`) is part of the protocol; clients that did not ask skip it.
  prepareBody(body, modelId, stream) {
    const options = field(body, 'stream_options');
    if (stream && field(options, 'include_usage') !== true) {
      return {
        ...body,
        model: modelId,
        stream_options: { ...(typeof options === 'object' ? options : {}), include_usage: true },
      };
    }
    return body.model === modelId ? undefined : { ...body, model: modelId };
  },
  mayReportUsage: (_event, data) => USAGE_OBJECT.test(data),
  usageOf(_event, json) {
    const usage = field(json, 'usage');
    return report({
      inputTokens: count(field(usage, 'prompt_tokens')),
      outputTokens: count(field(usage, 'completion_tokens')),
      cachedInputTokens: count(field(field(usage, 'prompt_tokens_details'), 'cached_tokens')),
    });
  },
};

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
const FINAL_TYPE = /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/;

/** The Responses API (`/v1/responses`, what Codex speaks): usage on the final response. */
export const openaiResponsesDialect: Dialect = {
  ...openaiBase,
  name: 'openai-responses',
  prepareBody: (body, modelId) => (body.model === modelId ? undefined : { ...body, model: modelId }),
  // Servers that leave out the `event:` line still say the type inside the data.
  mayReportUsage: (event, data) => FINAL_EVENTS.has(event) || (event === '' && FINAL_TYPE.test(data)),
  usageOf(_event, json) {
    // A stream event wraps the response; a whole answer is the response.
    const usage = field(field(json, 'response') ?? json, 'usage');
    return report({
      inputTokens: count(field(usage, 'input_tokens')),
      outputTokens: count(field(usage, 'output_tokens')),
      cachedInputTokens: count(field(field(usage, 'input_tokens_details'), 'cached_tokens')),
    });
  },
};
