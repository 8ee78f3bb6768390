import {
  bearerToken,
  count,
  type Dialect,
  field,
  headerValue,
  type RefusalKind,
  report,
  type UsageReport,
} from './dialect.ts';

/**
 * Status and error type per refusal, as Anthropic answers. A spent budget is 402 `billing_error`
 * (Anthropic's own status for billing problems, and the status of Orchard's BudgetExceededError):
 * the SDK does not retry it, so Claude Code stops and shows the message.
 */
const REFUSALS: Record<RefusalKind, [number, string]> = {
  unauthenticated: [401, 'authentication_error'],
  forbidden: [403, 'permission_error'],
  budget: [402, 'billing_error'],
  'no-model': [404, 'not_found_error'],
  unavailable: [529, 'overloaded_error'],
  'bad-request': [400, 'invalid_request_error'],
};

/** The Messages API (`/v1/messages`, `/v1/messages/count_tokens`), for Claude Code and the Anthropic SDKs. */
export const anthropicDialect: Dialect = {
  name: 'anthropic',
  kind: 'anthropic',
  forwardedHeaders: ['anthropic-version', 'anthropic-beta', 'user-agent'],

  // ANTHROPIC_API_KEY travels as x-api-key, ANTHROPIC_AUTH_TOKEN as a bearer token.
  credential: (headers) => headerValue(headers, 'x-api-key') ?? bearerToken(headers),

  refusal(kind, message) {
    const [status, type] = REFUSALS[kind];
    return { status, body: { type: 'error', error: { type, message } } };
  },

  authHeader: (apiKey) => ['x-api-key', apiKey],

  prepareBody: (body, modelId) => (body.model === modelId ? undefined : { ...body, model: modelId }),

  mayReportUsage: (event) => event === 'message_start' || event === 'message_delta',

  usageOf(event, json) {
    if (event === 'message_start') return anthropicUsage(field(field(json, 'message'), 'usage'));
    return anthropicUsage(field(json, 'usage'));
  },
};

/** Anthropic counts cache reads and writes apart from `input_tokens`; Orchard's usage includes them. */
function anthropicUsage(usage: unknown): UsageReport | undefined {
  const fresh = count(field(usage, 'input_tokens'));
  const read = count(field(usage, 'cache_read_input_tokens')) ?? 0;
  const written = count(field(usage, 'cache_creation_input_tokens')) ?? 0;
  return report({
    inputTokens: fresh === undefined ? undefined : fresh + read + written,
    cachedInputTokens: fresh === undefined ? undefined : read,
    outputTokens: count(field(usage, 'output_tokens')),
  });
}
