import { estimateTokens } from './conversation.ts';
import { readGeminiRequest } from './gemini-request.ts';
import { type AnswerMeta, type ErrorOptions, type Protocol, RequestRejected } from './protocol.ts';
import { chunkText, type LlmRequest, type Reply } from './reply.ts';
import { dataEvent, type Frame, SSE_HEADERS, type StreamPlan } from './sse.ts';

const ERROR_STATUSES: Record<number, [status: string, message: string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  408: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
  409: ['ABORTED', 'The operation was aborted.'],
  413: ['INVALID_ARGUMENT', 'Request payload size exceeds the limit.'],
  429: ['RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.'],
  500: [
    'INTERNAL',
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  ],
  502: ['UNAVAILABLE', 'Bad gateway.'],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
  529: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
};

type Part = Record<string, unknown>;

/** The Gemini API: data-only SSE, no terminal marker; the stream ends when the connection closes. */
export const gemini: Protocol = {
  name: 'gemini',
  overloadedStatus: 503,

  parseRequest(body, route, meta) {
    const where = { model: route.model ?? 'unknown', stream: route.stream === true };
    return readGeminiRequest(
      body,
      where,
      (status, message) => new RequestRejected(this.error(status, { message, meta })),
    );
  },

  countTokens(body, route, meta) {
    const where = { model: route.model ?? 'unknown', stream: false };
    const reject = (status: number, message: string) =>
      new RequestRejected(this.error(status, { message, meta }));
    const tokens = readGeminiRequest(body, where, reject, true).promptTokens;
    return { totalTokens: tokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }] };
  },

  // The Gemini API sends no call ids (clients make their own); this one is never on the wire.
  toolCallId: (meta, index) => `call_mock_${meta.seq}_${index}`,

  responseHeaders: () => ({}),

  streamPlan(request, reply, meta) {
    const frames: Frame[] = [];
    let sent = '';
    const chunk = (parts: Part[], counted: string, finish?: string) => {
      sent += counted;
      const tokens = finish ? reply.outputTokens : Math.min(estimateTokens(sent), reply.outputTokens);
      return dataEvent(response(request, meta, parts, tokens, finish));
    };
    for (const text of chunkText(reply.text ?? '', reply.chunkSize)) {
      frames.push({ kind: 'content', data: chunk([{ text }], text) });
    }
    if (reply.toolCalls.length) {
      // Gemini sends function calls whole, never in pieces: parallel calls are parts of one chunk.
      const args = reply.toolCalls.map((call) => call.argsJson).join('');
      frames.push({ kind: 'content', data: chunk(functionCallParts(reply), args) });
    }
    // The finish reason comes in a last chunk of its own, so `eof` can leave it out.
    frames.push({ kind: 'terminal', data: chunk([{ text: '' }], '', 'STOP') });
    const [, overloaded] = ERROR_STATUSES[503] ?? [];
    return {
      headers: { ...SSE_HEADERS },
      frames,
      malformed: 'data: {"candidates":[{"content":{"role":"model","parts":[{"text":\n\n',
      errorEvent: JSON.stringify({ error: { code: 503, message: overloaded, status: 'UNAVAILABLE' } }),
      errorEventAlone: true,
    } satisfies StreamPlan;
  },

  responseBody(request, reply, meta) {
    const parts: Part[] = [];
    if (reply.text) parts.push({ text: reply.text });
    parts.push(...functionCallParts(reply));
    return response(request, meta, parts, reply.outputTokens, 'STOP');
  },

  error(status, options: ErrorOptions) {
    const [name, fallback] = ERROR_STATUSES[status] ?? ['UNKNOWN', 'Unknown error.'];
    const error: Record<string, unknown> = {
      code: status,
      message: options.message ?? fallback,
      status: name,
    };
    // Gemini puts its retry hint in the body, not in a retry-after header.
    if (options.retryAfter != null) {
      error.details = [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${options.retryAfter}s` },
      ];
    }
    return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { error } };
  },
};

function functionCallParts(reply: Reply): Part[] {
  return reply.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.args } }));
}

function response(
  request: LlmRequest,
  meta: AnswerMeta,
  parts: Part[],
  outputTokens: number,
  finish?: string,
) {
  return {
    candidates: [
      { content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: request.promptTokens,
      candidatesTokenCount: outputTokens,
      totalTokenCount: request.promptTokens + outputTokens,
    },
    modelVersion: request.model,
    responseId: `mock-response-${meta.seq}`,
  };
}
