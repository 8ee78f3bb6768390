import { z } from 'zod';
import { ValidationError } from '../../../platform/errors.ts';
import { estimateTokens } from './pricing.ts';
import type { LlmCallContext, LlmStreamRequest } from './types.ts';

const CallContext = z.object({
  operationId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  agentSessionId: z.uuid().optional(),
});

/** The context ids end up in uuid columns: refuse anything else before the call is made. */
export function callContext(context: LlmCallContext | undefined): LlmCallContext {
  const parsed = CallContext.safeParse(context ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    'LLM call context ids must be UUIDs.',
    parsed.error.issues.map((i) => ({ field: `context.${i.path.join('.')}`, message: i.message })),
  );
}

/** The prompt's size by estimate: messages, system prompt and tool definitions. */
export function estimateRequestTokens(request: LlmStreamRequest): number {
  let text = JSON.stringify(request.messages) + (request.system ?? '');
  for (const [name, tool] of Object.entries(request.tools ?? {})) {
    const schema = tool.inputSchema;
    const json =
      '~standard' in schema ? z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any' }) : schema;
    text += name + (tool.description ?? '') + JSON.stringify(json);
  }
  if (request.schema) text += JSON.stringify(z.toJSONSchema(request.schema, { unrepresentable: 'any' }));
  return estimateTokens(text);
}
