import { withTransaction } from '../../../platform/db/pool.ts';
import type { StepContext } from '../../operations/index.ts';
import { ARCHITECT_ALIAS } from '../architect/architect-llm.ts';
import { draftBlueprintWithLlm } from '../architect/draft-with-llm.ts';
import { templateFit } from '../architect/template-fit.ts';
import { commitBlueprintChange } from '../commit-blueprint-change.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import type { BuildInput } from './build-input.ts';
import { loadBuild } from './build-step.ts';

/**
 * `draft-blueprint` (landing prompts only): the request already stored the rule-based autopilot
 * draft; with an LLM configured for `architect`, the model redrafts it, and any failure keeps the
 * rule-based draft (the build goes on either way).
 */
export async function draftBlueprintStep(deps: StudioDeps, ctx: StepContext<BuildInput>) {
  const draft = ctx.input.draft!;
  await ctx.emit({
    type: 'phase',
    phase: 'draft',
    featureId: ctx.input.featureId,
    message: 'Drafting the Blueprint',
  });
  const { blueprint, project } = await loadBuild(deps, ctx.input);
  if (!(await deps.llm.isConfigured({ alias: ARCHITECT_ALIAS }))) {
    ctx.log(
      `No LLM provider serves "${ARCHITECT_ALIAS}": the rule-based autopilot drafted the Blueprint (v${blueprint.version}).`,
    );
    await ctx.progress(1, 'Drafted by the rule-based autopilot');
    return { mode: 'rules', version: blueprint.version };
  }
  await ctx.progress(0, `Asking the ${ARCHITECT_ALIAS} model for a Blueprint`);
  try {
    // The person's template binds the model; otherwise it picks, told what the rules picked.
    const drafted = await draftBlueprintWithLlm(deps.llm, {
      prompt: draft.prompt,
      ...(draft.template ? { template: draft.template } : { suggestion: templateFit(draft.prompt) }),
      signal: ctx.signal,
      context: { operationId: ctx.operationId, projectId: project.id },
    });
    const { row } = await withTransaction(deps.db, (tx) =>
      commitBlueprintChange(tx, { actor: actorOf(ctx.input.requestedBy) }, blueprint.id, {
        // The prompt is the conversation's first message already; this is the Architect's answer to it.
        kind: 'autopilot',
        answeredBy: { llmCallId: drafted.callId },
        duringBuild: true,
        operationId: ctx.operationId,
        clock: deps.clock,
        next: () => ({
          document: drafted.blueprint,
          reply: 'Drafted by the Architect; every guess is listed under assumptions.',
        }),
      }),
    );
    ctx.log(
      `${drafted.model} drafted the Blueprint (v${row.version}, ${drafted.blueprint.template} template, ${drafted.repairs} re-ask(s), $${drafted.costUsd.toFixed(4)}).`,
    );
    await ctx.progress(1, 'Drafted by the Architect');
    return { mode: 'llm', version: row.version };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const reason = (error as Error).message;
    ctx.log(`The LLM draft could not be used (${reason}); the rule-based draft stays.`, 'stderr');
    await ctx.progress(1, 'Kept the rule-based draft');
    return { mode: 'rules', version: blueprint.version, fallback: reason.slice(0, 500) };
  }
}
