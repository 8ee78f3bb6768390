import { z } from 'zod';
import { estimateTokens, readConversation, type Turn, toolResultText } from './conversation.ts';
import { describeIssue, type RequestRejected } from './protocol.ts';
import type { LlmRequest } from './reply.ts';

const Part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
  functionResponse: z
    .looseObject({ id: z.string().optional(), name: z.string().optional(), response: z.unknown() })
    .optional(),
});
const Content = z.looseObject({ role: z.enum(['user', 'model']).optional(), parts: z.array(Part) });

/** The fields of a generateContent body the mock reads; anything else passes through unchecked. */
export const GeminiGenerateBody = z.looseObject({
  contents: z.array(Content).min(1),
  systemInstruction: z.looseObject({ parts: z.array(Part) }).optional(),
  generationConfig: z.looseObject({ responseMimeType: z.string().optional() }).optional(),
});

/** countTokens takes either `{contents}` or a whole `{generateContentRequest}`. */
export const GeminiCountTokensBody = z.union([
  z.looseObject({ generateContentRequest: GeminiGenerateBody }).transform((b) => b.generateContentRequest),
  GeminiGenerateBody,
]);

export const GEMINI_NO_PREFILL_MESSAGE =
  'Requests ending with a model turn are not supported unless the last part is a function response.';

type Reject = (status: number, message: string) => RequestRejected;

/** Reads a generateContent request; the model and streaming come from the URL. */
export function readGeminiRequest(
  body: unknown,
  route: { model: string; stream: boolean },
  reject: Reject,
  countOnly = false,
): LlmRequest {
  const parsed = (countOnly ? GeminiCountTokensBody : GeminiGenerateBody).safeParse(body);
  if (!parsed.success) throw reject(400, `Invalid JSON payload received. ${describeIssue(parsed.error)}`);
  const data = parsed.data;
  const system = readTurn('user', data.systemInstruction?.parts ?? []).text;
  const turns = data.contents.map((c) => readTurn(c.role === 'model' ? 'assistant' : 'user', c.parts));
  const facts = readConversation(system, turns, true);
  // Newer Gemini models refuse a trailing model turn; model ids containing "no-prefill" play that part.
  if (facts.prefill !== null && route.model.includes('no-prefill'))
    throw reject(400, GEMINI_NO_PREFILL_MESSAGE);
  return {
    model: route.model,
    stream: route.stream,
    includeUsage: true,
    ...facts,
    promptTokens: estimateTokens(facts.promptText),
    jsonTool: null,
  };
}

/** Text parts are the turn's words (thoughts are not); functionCall and functionResponse parts its tools. */
function readTurn(role: Turn['role'], parts: Array<z.infer<typeof Part>>): Turn {
  const words: string[] = [];
  const toolCalls: NonNullable<Turn['toolCalls']> = [];
  const toolResults: NonNullable<Turn['toolResults']> = [];
  for (const part of parts) {
    if (part.thought) continue;
    if (typeof part.text === 'string') words.push(part.text);
    // Gemini names the function in its response; ids exist only where a client adds them.
    const call = part.functionCall;
    if (call?.name) toolCalls.push({ id: call.id ?? '', name: call.name });
    if (part.functionResponse) {
      const { id, name, response } = part.functionResponse;
      toolResults.push({ callId: id, tool: name, text: toolResultText(response ?? null) });
    }
  }
  return { role, text: words.join(''), toolCalls, toolResults };
}
