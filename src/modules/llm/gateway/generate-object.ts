import type { ModelMessage } from 'ai';
import type { z } from 'zod';
import { StructuredOutputError } from '../errors.ts';
import type { BudgetTracker } from './budget.ts';
import { collect } from './generate.ts';
import type { LlmObjectResult, LlmStream, LlmStreamRequest } from './types.ts';

export interface GenerateObjectRequest<S extends z.ZodType>
  extends Omit<LlmStreamRequest, 'schema' | 'tools'> {
  schema: S;
  /** Re-asks after an answer that does not match the schema (default 2). */
  maxRepairs?: number;
}

/**
 * Structured output: asks for JSON matching the schema, validates the answer with zod, and when it
 * does not match re-asks with the validation errors — a bounded number of times, never accepting an
 * invalid answer. All re-asks share one budget.
 */
export async function generateObject<S extends z.ZodType>(
  stream: (request: LlmStreamRequest, budget: BudgetTracker) => LlmStream,
  budget: BudgetTracker,
  request: GenerateObjectRequest<S>,
): Promise<LlmObjectResult<z.infer<S>>> {
  const maxRepairs = request.maxRepairs ?? 2;
  let messages: ModelMessage[] = request.messages;
  let issues: string[] = [];
  let text = '';
  for (let repairs = 0; repairs <= maxRepairs; repairs++) {
    const result = await collect(stream({ ...request, messages }, budget));
    text = result.text;
    const checked = check(request.schema, text);
    if (checked.ok) {
      const { toolCalls: _, ...rest } = result;
      return { ...rest, object: checked.value, repairs };
    }
    issues = checked.issues;
    messages = [
      ...messages,
      { role: 'assistant', content: text || '(empty)' },
      {
        role: 'user',
        content: `That reply is not valid: ${issues.join('; ')}. Reply again with only the corrected JSON value, matching the schema exactly.`,
      },
    ];
  }
  throw new StructuredOutputError(
    `The model's answer did not match the schema after ${maxRepairs} re-ask${maxRepairs === 1 ? '' : 's'}: ${issues.join('; ')}`,
    issues,
    text,
  );
}

function check<S extends z.ZodType>(
  schema: S,
  text: string,
): { ok: true; value: z.infer<S> } | { ok: false; issues: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, issues: [`not JSON (${(error as Error).message})`] };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

/** Models without native structured output often wrap JSON in a Markdown fence. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}
