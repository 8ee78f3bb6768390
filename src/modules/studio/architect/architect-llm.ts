/**
 * One turn of the LLM Architect: the model answers `{reply, patch}` as JSON; the answer is used
 * only if it parses, matches the shape, and its patch applies to the current Blueprint with a
 * valid result. Otherwise the model is told exactly what was wrong and asked again, a bounded
 * number of times; after that the turn fails and the Blueprint stays as it was.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DomainError } from '../../../platform/errors.ts';
import {
  applyBlueprintPatch,
  type Blueprint,
  type JsonPatch,
  parseJsonPatch,
} from '../../blueprint/index.ts';
import type { LlmCallContext, LlmGateway, LlmMessage, LlmUsage } from '../../llm/index.ts';
import { ReplyExtractor } from './reply-extractor.ts';

export const ARCHITECT_ALIAS = 'architect';
const SYSTEM = readFileSync(new URL('./prompts/architect-system.md', import.meta.url), 'utf8');

/** What the model is asked for (loose on purpose: the patch is checked against the Blueprint after). */
export const ArchitectAnswer = z.object({
  reply: z.string().trim().min(1).max(4000),
  patch: z.array(z.record(z.string(), z.unknown())).max(200),
});

export class ArchitectAnswerError extends DomainError {
  readonly code = 'architect_answer_invalid';
  readonly status = 502;
}

export interface ArchitectTurnInput {
  blueprint: Blueprint;
  version: number;
  /** Earlier turns, oldest first. */
  history: Array<{ message: string; reply: string }>;
  content: string;
  signal?: AbortSignal;
  context?: LlmCallContext;
  /** Re-asks after an unusable answer (default 2). */
  maxRepairs?: number;
  /** Reply text as it streams; `attempt` starts at 0 and grows with each re-ask. */
  onDelta?(text: string, attempt: number): void;
  /** An answer was unusable and the model is being asked again: the streamed reply so far is void. */
  onRepair?(attempt: number, problem: string): void | Promise<void>;
  /** Each call to the model as it starts (its id in `llm_calls`): a failed turn names the last one. */
  onCall?(callId: string): void;
}

export interface ArchitectTurnResult {
  reply: string;
  patch: JsonPatch;
  document: Blueprint;
  repairs: number;
  usage: LlmUsage;
  costUsd: number;
  provider?: string;
  model?: string;
  /** The call whose answer was used. */
  callId: string;
}

function userTurn(input: ArchitectTurnInput): string {
  return [
    `The Blueprint now (version ${input.version}):`,
    '```json',
    JSON.stringify(input.blueprint, null, 1),
    '```',
    '',
    `The person says: ${input.content}`,
  ].join('\n');
}

/** Why an answer cannot be used, or the usable answer. */
function check(
  text: string,
  blueprint: Blueprint,
): { ok: true; reply: string; patch: JsonPatch; document: Blueprint } | { ok: false; problem: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  let raw: unknown;
  try {
    raw = JSON.parse(fenced ? fenced[1]! : text);
  } catch (error) {
    return { ok: false, problem: `the answer is not JSON (${(error as Error).message})` };
  }
  const shaped = ArchitectAnswer.safeParse(raw);
  if (!shaped.success) {
    const issues = shaped.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, problem: `the answer does not have the shape {reply, patch}: ${issues.join('; ')}` };
  }
  try {
    const patch = parseJsonPatch(shaped.data.patch);
    return { ok: true, reply: shaped.data.reply, patch, document: applyBlueprintPatch(blueprint, patch) };
  } catch (error) {
    return { ok: false, problem: `the patch cannot be applied: ${(error as Error).message}` };
  }
}

export async function architectTurnWithLlm(
  llm: LlmGateway,
  input: ArchitectTurnInput,
): Promise<ArchitectTurnResult> {
  const maxRepairs = input.maxRepairs ?? 2;
  let messages: LlmMessage[] = [
    ...input.history.flatMap((t): LlmMessage[] => [
      { role: 'user', content: t.message },
      { role: 'assistant', content: t.reply },
    ]),
    { role: 'user', content: userTurn(input) },
  ];
  let usage: LlmUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let costUsd = 0;
  let last: { provider?: string; model?: string } = {};
  let problem = '';
  for (let attempt = 0; attempt <= maxRepairs; attempt++) {
    const extractor = new ReplyExtractor();
    let text = '';
    const stream = llm.stream({
      alias: ARCHITECT_ALIAS,
      system: SYSTEM,
      messages,
      schema: ArchitectAnswer,
      signal: input.signal,
      context: input.context,
    });
    input.onCall?.(stream.callId);
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        text += event.text;
        const delta = extractor.push(event.text);
        if (delta) input.onDelta?.(delta, attempt);
      } else if (event.type === 'finish') {
        usage = {
          inputTokens: usage.inputTokens + event.usage.inputTokens,
          outputTokens: usage.outputTokens + event.usage.outputTokens,
          cachedInputTokens: usage.cachedInputTokens + event.usage.cachedInputTokens,
        };
        costUsd += event.costUsd;
        last = { provider: event.provider, model: event.model };
      }
    }
    const checked = check(text, input.blueprint);
    if (checked.ok) return { ...checked, repairs: attempt, usage, costUsd, ...last, callId: stream.callId };
    problem = checked.problem;
    if (attempt === maxRepairs) break;
    await input.onRepair?.(attempt + 1, problem);
    messages = [
      ...messages,
      { role: 'assistant', content: text || '(empty)' },
      {
        role: 'user',
        content: `That answer could not be used: ${problem}. Answer again with one JSON object {"reply": "...", "patch": [...]} whose patch applies to the Blueprint exactly as I sent it (your previous patch was not applied).`,
      },
    ];
  }
  throw new ArchitectAnswerError(
    `The Architect's answer could not be used after ${maxRepairs} re-ask${maxRepairs === 1 ? '' : 's'}: ${problem}`,
    { problem },
  );
}
