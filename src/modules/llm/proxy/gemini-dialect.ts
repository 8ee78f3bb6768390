import { count, type Dialect, field, headerValue, type RefusalKind, report } from './dialect.ts';

/**
 * HTTP status and `google.rpc` status per refusal, as the Gemini API answers. A spent budget is
 * 400 FAILED_PRECONDITION (Google's answer when billing must be enabled first): neither js-genai
 * nor Gemini CLI retries it, where RESOURCE_EXHAUSTED (429) would be retried with backoff.
 */
const REFUSALS: Record<RefusalKind, [number, string]> = {
  unauthenticated: [401, 'UNAUTHENTICATED'],
  forbidden: [403, 'PERMISSION_DENIED'],
  budget: [400, 'FAILED_PRECONDITION'],
  'no-model': [404, 'NOT_FOUND'],
  unavailable: [503, 'UNAVAILABLE'],
  'bad-request': [400, 'INVALID_ARGUMENT'],
};

/** generateContent, streamGenerateContent and countTokens, for Gemini CLI and js-genai. */
export const geminiDialect: Dialect = {
  name: 'gemini',
  kind: 'gemini',
  forwardedHeaders: ['user-agent', 'x-goog-api-client'],

  credential: (headers, query) => headerValue(headers, 'x-goog-api-key') ?? (query.get('key') || undefined),

  refusal(kind, message) {
    const [code, status] = REFUSALS[kind];
    return { status: code, body: { error: { code, message, status } } };
  },

  authHeader: (apiKey) => ['x-goog-api-key', apiKey],

  // The model is in the URL path: the client's bytes go as they are.
  prepareBody: () => undefined,

  mayReportUsage: (_event, data) => data.includes('"usageMetadata"'),

  // Usage is cumulative on every chunk; a streamed JSON array (no alt=sse) is read whole at the end.
  usageOf(_event, json) {
    const last = Array.isArray(json) ? json.findLast((item) => field(item, 'usageMetadata')) : json;
    const usage = field(last, 'usageMetadata');
    const output = count(field(usage, 'candidatesTokenCount'));
    const thoughts = count(field(usage, 'thoughtsTokenCount')) ?? 0;
    return report({
      inputTokens: count(field(usage, 'promptTokenCount')),
      // Thinking is billed as output.
      outputTokens: output === undefined && !thoughts ? undefined : (output ?? 0) + thoughts,
      cachedInputTokens: count(field(usage, 'cachedContentTokenCount')),
    });
  },
};
