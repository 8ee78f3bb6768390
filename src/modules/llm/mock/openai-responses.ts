import { openai } from './openai.ts';
import { readOpenAiResponsesRequest } from './openai-responses-request.ts';
import { type AnswerMeta, type Protocol, RequestRejected } from './protocol.ts';
import { chunkText, type LlmRequest, type Reply } from './reply.ts';
import { type Frame, namedEvent, SSE_HEADERS, type StreamPlan } from './sse.ts';

const responseId = (meta: AnswerMeta) => `resp_mock_${meta.seq}`;
const messageId = (meta: AnswerMeta) => `msg_mock_${meta.seq}`;
const callItemId = (meta: AnswerMeta, index: number) => `fc_mock_${meta.seq}_${index}`;

/**
 * The OpenAI Responses API (`POST /v1/responses`, what Codex speaks): typed SSE events from
 * `response.created` to `response.completed`, each with a `sequence_number`; errors in the
 * chat-completions shape.
 */
export const openaiResponses: Protocol = {
  name: 'openai-responses',
  overloadedStatus: 503,

  parseRequest(body, _route, meta) {
    return readOpenAiResponsesRequest(
      body,
      (status, message) => new RequestRejected(this.error(status, { message, meta })),
    );
  },

  toolCallId: (meta, index) => `call_mock_${meta.seq}_${index}`,

  responseHeaders: openai.responseHeaders,

  streamPlan(request, reply, meta) {
    let seq = 0;
    const event = (type: string, data: Record<string, unknown>) =>
      namedEvent(type, { type, ...data, sequence_number: seq++ });
    const output = outputItems(request, reply, meta);
    const pending = { ...responseOf(request, reply, meta, []), status: 'in_progress', usage: null };
    const frames: Frame[] = [
      { kind: 'structure', data: event('response.created', { response: pending }) },
      { kind: 'structure', data: event('response.in_progress', { response: pending }) },
    ];
    output.forEach((item, outputIndex) => {
      if (item.type === 'message') {
        const text = reply.text ?? '';
        const ids = { item_id: item.id, output_index: outputIndex, content_index: 0 };
        const started = { ...item, status: 'in_progress', content: [] };
        frames.push({
          kind: 'structure',
          data: event('response.output_item.added', { output_index: outputIndex, item: started }),
        });
        frames.push({
          kind: 'structure',
          data: event('response.content_part.added', {
            ...ids,
            part: { type: 'output_text', text: '', annotations: [] },
          }),
        });
        for (const delta of chunkText(text, reply.chunkSize)) {
          frames.push({
            kind: 'content',
            data: event('response.output_text.delta', { ...ids, delta, logprobs: [] }),
          });
        }
        frames.push({
          kind: 'terminal',
          data: event('response.output_text.done', { ...ids, text, logprobs: [] }),
        });
        frames.push({
          kind: 'terminal',
          data: event('response.content_part.done', {
            ...ids,
            part: { type: 'output_text', text, annotations: [] },
          }),
        });
      } else {
        const started = { ...item, status: 'in_progress', arguments: '' };
        frames.push({
          kind: 'structure',
          data: event('response.output_item.added', { output_index: outputIndex, item: started }),
        });
        for (const delta of chunkText(item.arguments, reply.chunkSize)) {
          frames.push({
            kind: 'content',
            data: event('response.function_call_arguments.delta', {
              item_id: item.id,
              output_index: outputIndex,
              delta,
            }),
          });
        }
        frames.push({
          kind: 'terminal',
          data: event('response.function_call_arguments.done', {
            item_id: item.id,
            output_index: outputIndex,
            arguments: item.arguments,
          }),
        });
      }
      frames.push({
        kind: 'terminal',
        data: event('response.output_item.done', { output_index: outputIndex, item }),
      });
    });
    frames.push({
      kind: 'terminal',
      data: event('response.completed', { response: responseOf(request, reply, meta, output) }),
    });
    return {
      headers: { ...SSE_HEADERS, ...this.responseHeaders(meta) },
      frames,
      malformed: `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n`,
      errorEvent: namedEvent('error', {
        type: 'error',
        code: 'server_error',
        message: 'The server is overloaded. Please try again later.',
        param: null,
        sequence_number: seq,
      }),
    } satisfies StreamPlan;
  },

  responseBody(request, reply, meta) {
    return responseOf(request, reply, meta, outputItems(request, reply, meta));
  },

  error: openai.error,
};

type OutputItem =
  | { id: string; type: 'message'; status: 'completed'; role: 'assistant'; content: unknown[] }
  | {
      id: string;
      type: 'function_call';
      status: 'completed';
      call_id: string;
      name: string;
      namespace?: string;
      arguments: string;
    };

/** `mcp__orchard__create_issue` is `create_issue` in namespace `mcp__orchard` when the request offers it. */
function callName(request: LlmRequest, scripted: string): { name: string; namespace?: string } {
  const namespace = request.namespaces?.find((ns) => scripted.startsWith(`${ns}__`));
  return namespace ? { name: scripted.slice(namespace.length + 2), namespace } : { name: scripted };
}

function outputItems(request: LlmRequest, reply: Reply, meta: AnswerMeta): OutputItem[] {
  const items: OutputItem[] = [];
  if (reply.text) {
    items.push({
      id: messageId(meta),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  // Several calls are several function_call items, each with its own output_index.
  reply.toolCalls.forEach((call, index) => {
    items.push({
      id: callItemId(meta, index),
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      ...callName(request, call.name),
      arguments: call.argsJson,
    });
  });
  return items;
}

function responseOf(request: LlmRequest, reply: Reply, meta: AnswerMeta, output: OutputItem[]) {
  return {
    id: responseId(meta),
    object: 'response',
    created_at: Math.floor(meta.now.getTime() / 1000),
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: request.model,
    output,
    parallel_tool_calls: true,
    usage: {
      input_tokens: request.promptTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: reply.outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: request.promptTokens + reply.outputTokens,
    },
  };
}
