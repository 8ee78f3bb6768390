import { readOpenAiRequest } from './openai-request.ts';
import { type AnswerMeta, type ErrorOptions, type Protocol, RequestRejected } from './protocol.ts';
import { chunkText, type LlmRequest, type Reply } from './reply.ts';
import { dataEvent, type Frame, SSE_HEADERS, type StreamPlan } from './sse.ts';

const ERRORS: Record<number, [type: string, code: string | null, message: string]> = {
  400: ['invalid_request_error', null, 'Invalid request.'],
  401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
  403: [
    'invalid_request_error',
    'unsupported_country_region_territory',
    'Country, region, or territory not supported.',
  ],
  404: [
    'invalid_request_error',
    'model_not_found',
    'The model does not exist or you do not have access to it.',
  ],
  408: ['timeout', null, 'Request timed out.'],
  409: ['invalid_request_error', 'conflict', 'Conflict.'],
  413: ['invalid_request_error', 'request_too_large', 'Request too large.'],
  429: ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.'],
  500: ['server_error', null, 'The server had an error while processing your request. Sorry about that!'],
  502: ['server_error', 'bad_gateway', 'Bad gateway.'],
  503: ['server_error', 'service_unavailable', 'The server is overloaded. Please try again later.'],
  504: ['timeout', null, 'Request timed out.'],
  529: ['server_error', 'overloaded', 'The server is overloaded. Please try again later.'],
};

const requestId = (meta: AnswerMeta) => `req_mock_${meta.seq}`;

/** OpenAI-compatible chat completions: data-only SSE ending with `data: [DONE]`. */
export const openai: Protocol = {
  name: 'openai',
  overloadedStatus: 503,

  parseRequest(body, _route, meta) {
    return readOpenAiRequest(
      body,
      (status, message) => new RequestRejected(this.error(status, { message, meta })),
    );
  },

  toolCallId: (meta, index) => `call_mock_${meta.seq}_${index}`,

  responseHeaders: (meta) => ({ 'x-request-id': requestId(meta) }),

  streamPlan(request, reply, meta) {
    const base = {
      id: `chatcmpl-mock-${meta.seq}`,
      object: 'chat.completion.chunk',
      created: Math.floor(meta.now.getTime() / 1000),
      model: request.model,
    };
    // With include_usage, every chunk but the last carries `usage: null`.
    const usage = request.includeUsage ? { usage: null } : {};
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      dataEvent({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usage });
    const frames: Frame[] = [{ kind: 'structure', data: chunk({ role: 'assistant', content: '' }) }];
    for (const content of chunkText(reply.text ?? '', reply.chunkSize)) {
      frames.push({ kind: 'content', data: chunk({ content }) });
    }
    // Each call opens with its id and name at its own `index`; its argument pieces repeat that index.
    reply.toolCalls.forEach((call, index) => {
      const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      frames.push({ kind: 'structure', data: chunk({ tool_calls: [head] }) });
      for (const piece of chunkText(call.argsJson, reply.chunkSize)) {
        frames.push({
          kind: 'content',
          data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }),
        });
      }
    });
    frames.push({ kind: 'terminal', data: chunk({}, finishReason(reply)) });
    if (request.includeUsage) {
      frames.push({
        kind: 'terminal',
        data: dataEvent({ ...base, choices: [], usage: usageOf(request, reply) }),
      });
    }
    frames.push({ kind: 'terminal', data: 'data: [DONE]\n\n' });
    const [type, code, message] = ERRORS[503] ?? [];
    return {
      headers: { ...SSE_HEADERS, ...this.responseHeaders(meta) },
      frames,
      malformed: `data: {"id":"${base.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":\n\n`,
      // As vLLM does: an error object in a data event, then the usual end marker.
      errorEvent: `${dataEvent({ error: { message, type, param: null, code } })}data: [DONE]\n\n`,
    } satisfies StreamPlan;
  },

  responseBody(request, reply, meta) {
    const toolCalls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.argsJson },
    }));
    return {
      id: `chatcmpl-mock-${meta.seq}`,
      object: 'chat.completion',
      created: Math.floor(meta.now.getTime() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: reply.text || null,
            refusal: null,
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: finishReason(reply),
        },
      ],
      usage: usageOf(request, reply),
    };
  },

  error(status, options: ErrorOptions) {
    const [type, code, fallback] = ERRORS[status] ?? ['server_error', null, 'Unexpected error.'];
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-request-id': requestId(options.meta),
    };
    if (options.retryAfter != null) {
      headers['retry-after'] = String(options.retryAfter);
      headers['retry-after-ms'] = String(Math.round(options.retryAfter * 1000));
    }
    if (status === 429) {
      headers['x-ratelimit-limit-requests'] = '500';
      headers['x-ratelimit-remaining-requests'] = '0';
      headers['x-ratelimit-reset-requests'] = `${options.retryAfter ?? 60}s`;
    }
    return {
      status,
      headers,
      body: { error: { message: options.message ?? fallback, type, param: null, code } },
    };
  },
};

function finishReason(reply: Reply): string {
  return reply.toolCalls.length ? 'tool_calls' : 'stop';
}

function usageOf(request: LlmRequest, reply: Reply) {
  return {
    prompt_tokens: request.promptTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: request.promptTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
