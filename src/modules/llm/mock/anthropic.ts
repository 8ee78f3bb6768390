import { readAnthropicRequest } from './anthropic-request.ts';
import { type AnswerMeta, type ErrorOptions, type Protocol, RequestRejected } from './protocol.ts';
import { chunkText, type LlmRequest, type Reply } from './reply.ts';
import { type Frame, namedEvent, SSE_HEADERS, type StreamPlan } from './sse.ts';

const ERROR_TYPES: Record<number, [type: string, message: string]> = {
  400: ['invalid_request_error', 'Invalid request'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'Not found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timeout'],
  529: ['overloaded_error', 'Overloaded'],
};

const id = (prefix: string, meta: AnswerMeta) => `${prefix}_mock_${String(meta.seq).padStart(6, '0')}`;

/** The Anthropic Messages API: named SSE events whose data repeats the event `type`. */
export const anthropic: Protocol = {
  name: 'anthropic',
  overloadedStatus: 529,

  parseRequest(body, _route, meta) {
    return readAnthropicRequest(
      body,
      (status, message) => new RequestRejected(this.error(status, { message, meta })),
    );
  },

  countTokens(body, _route, meta) {
    const reject = (status: number, message: string) =>
      new RequestRejected(this.error(status, { message, meta }));
    return { input_tokens: readAnthropicRequest(body, reject, true).promptTokens };
  },

  toolCallId: (meta, index) => `${id('toolu', meta)}_${index}`,

  responseHeaders: (meta) => ({ 'request-id': id('req', meta) }),

  streamPlan(request, reply, meta) {
    const frames: Frame[] = [];
    const push = (kind: Frame['kind'], name: string, data: Record<string, unknown>) =>
      frames.push({ kind, data: namedEvent(name, { type: name, ...data }) });
    const start = { ...message(request, reply, meta), content: [], stop_reason: null };
    push('structure', 'message_start', {
      message: { ...start, usage: { ...start.usage, output_tokens: 1 } },
    });
    push('structure', 'ping', {});
    let index = 0;
    if (reply.text) {
      push('structure', 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const text of chunkText(reply.text, reply.chunkSize)) {
        push('content', 'content_block_delta', { index, delta: { type: 'text_delta', text } });
      }
      push('structure', 'content_block_stop', { index });
      index += 1;
    }
    // Several calls are several tool_use blocks, one after the other, each with its own index.
    for (const call of reply.toolCalls) {
      const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
      push('structure', 'content_block_start', { index, content_block: block });
      for (const partial_json of chunkText(call.argsJson, reply.chunkSize)) {
        push('content', 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
      }
      push('structure', 'content_block_stop', { index });
      index += 1;
    }
    const done = message(request, reply, meta);
    push('terminal', 'message_delta', {
      delta: { stop_reason: done.stop_reason, stop_sequence: null },
      usage: done.usage,
    });
    push('terminal', 'message_stop', {});
    return {
      headers: { ...SSE_HEADERS, ...this.responseHeaders(meta) },
      frames,
      malformed:
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":\n\n',
      errorEvent: namedEvent('error', {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      }),
    } satisfies StreamPlan;
  },

  responseBody: (request, reply, meta) => message(request, reply, meta),

  error(status, options: ErrorOptions) {
    const [type, fallback] = ERROR_TYPES[status] ?? ['api_error', 'Internal server error'];
    const requestId = id('req', options.meta);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
    if (options.retryAfter != null) headers['retry-after'] = String(options.retryAfter);
    if (status === 429) {
      const reset = new Date(options.meta.now.getTime() + (options.retryAfter ?? 60) * 1000);
      headers['anthropic-ratelimit-requests-limit'] = '50';
      headers['anthropic-ratelimit-requests-remaining'] = '0';
      headers['anthropic-ratelimit-requests-reset'] = reset.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    const body = {
      type: 'error',
      error: { type, message: options.message ?? fallback },
      request_id: requestId,
    };
    return { status, headers, body };
  },
};

/** The complete message, as the non-streaming API returns it and the stream builds it up. */
function message(request: LlmRequest, reply: Reply, meta: AnswerMeta) {
  const content: Array<Record<string, unknown>> = [];
  if (reply.text) content.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.args });
  }
  return {
    id: id('msg', meta),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: reply.toolCalls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: request.promptTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: reply.outputTokens,
    },
  };
}
