import { readFileSync } from 'node:fs';
import {
  Blueprint,
  fillGapsWithAssumptions,
  isReadyToBuild,
  parseBlueprint,
  type TemplateId,
} from '../../blueprint/index.ts';
import type { LlmCallContext, LlmGateway } from '../../llm/index.ts';
import { ARCHITECT_ALIAS } from './architect-llm.ts';

const SYSTEM = readFileSync(new URL('./prompts/architect-autopilot.md', import.meta.url), 'utf8');

/**
 * Autopilot with an LLM: the `architect` model drafts the whole Blueprint from a landing prompt
 * (structured output, validated against the Blueprint schema with the gateway's bounded re-asks),
 * remaining gaps are filled with recorded assumptions, and a draft that is still not ready to
 * build is refused — the caller then keeps the rule-based draft.
 */
export async function draftBlueprintWithLlm(
  llm: LlmGateway,
  input: { prompt: string; template?: TemplateId; signal?: AbortSignal; context?: LlmCallContext },
): Promise<{ blueprint: Blueprint; repairs: number; costUsd: number; model: string }> {
  const ask = input.template ? `Template: ${input.template}\n\n${input.prompt}` : input.prompt;
  const result = await llm.generateObject({
    alias: ARCHITECT_ALIAS,
    system: SYSTEM,
    schema: Blueprint,
    messages: [{ role: 'user', content: ask }],
    maxRepairs: 1,
    signal: input.signal,
    context: input.context,
  });
  const blueprint = parseBlueprint(
    { ...result.object, template: input.template ?? result.object.template ?? 'crud-app' },
    'The LLM draft',
  );
  fillGapsWithAssumptions(blueprint);
  const readiness = isReadyToBuild(blueprint);
  if (!readiness.ready)
    throw new Error(`the draft is not ready to build: ${readiness.unmet.map((u) => u.message).join(' ')}`);
  return {
    blueprint,
    repairs: result.repairs,
    costUsd: result.costUsd,
    model: `${result.provider}/${result.model}`,
  };
}
