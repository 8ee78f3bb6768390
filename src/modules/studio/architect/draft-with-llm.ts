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
import { fitToTemplate } from './fit-to-template.ts';
import type { TemplateFit } from './template-fit.ts';

const SYSTEM = readFileSync(new URL('./prompts/architect-autopilot.md', import.meta.url), 'utf8');

/** What the model is told about the template: the person's choice, or the rules' suggestion. */
function templateNote(input: { template?: TemplateId; suggestion?: TemplateFit }): string {
  if (input.template) return `Template: ${input.template}\n\n`;
  const s = input.suggestion;
  if (!s) return '';
  return `Orchard's rules suggest the template ${s.template} (confidence ${Math.round(s.confidence * 100)} %): ${s.reason} Choose the template that fits the request best, and say why in the first assumption.\n\n`;
}

/**
 * Autopilot with an LLM: the `architect` model drafts the whole Blueprint from a landing prompt
 * (structured output, validated against the Blueprint schema with the gateway's bounded re-asks),
 * remaining gaps are filled with recorded assumptions, and a draft that is still not ready to
 * build is refused — the caller then keeps the rule-based draft. The template is the person's when
 * they chose one; otherwise the model picks among all of them, told what the rules would pick.
 */
export async function draftBlueprintWithLlm(
  llm: LlmGateway,
  input: {
    prompt: string;
    template?: TemplateId;
    /** The rules' fit (templateFit), offered to the model when the person chose no template. */
    suggestion?: TemplateFit;
    signal?: AbortSignal;
    context?: LlmCallContext;
  },
): Promise<{ blueprint: Blueprint; repairs: number; costUsd: number; model: string; callId: string }> {
  const ask = `${templateNote(input)}${input.prompt}`;
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
    {
      ...result.object,
      template: input.template ?? result.object.template ?? input.suggestion?.template ?? 'crud-app',
    },
    'The LLM draft',
  );
  fitToTemplate(blueprint, 'autopilot');
  fillGapsWithAssumptions(blueprint);
  const readiness = isReadyToBuild(blueprint);
  if (!readiness.ready)
    throw new Error(`the draft is not ready to build: ${readiness.unmet.map((u) => u.message).join(' ')}`);
  return {
    blueprint,
    repairs: result.repairs,
    costUsd: result.costUsd,
    model: `${result.provider}/${result.model}`,
    callId: result.callId,
  };
}
