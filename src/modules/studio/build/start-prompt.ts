import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import type { TemplateId } from '../../blueprint/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { Registry } from '../../operations/index.ts';
import { createProject, requireProjectRole } from '../../projects/index.ts';
import { autopilotBlueprint } from '../architect/autopilot-blueprint.ts';
import { createBlueprint } from '../create-blueprint.ts';
import { startBuild } from './start-build.ts';

export interface PromptInput {
  prompt: string;
  template?: TemplateId;
  /** An existing project's slug; without it a project is created, named after the prompt. */
  project?: string;
  /** Wait for a review before main, even on the first build. */
  reviewFirst?: boolean;
}

/**
 * A landing prompt: a project (created when none is named), a Blueprint drafted by the rule-based
 * autopilot at once, and a build whose first step lets the LLM Architect redraft it when one is
 * configured. The whole lifecycle is the one `studio.build` operation. Project, Blueprint and build
 * start in one transaction: a failure leaves no half-made project behind.
 */
export async function startPromptBuild(
  res: { db: Db; registry: Registry; clock: Clock; llm?: Pick<LlmGateway, 'isConfigured'> },
  ctx: RequestContext,
  input: PromptInput,
) {
  // Drafting first: a prompt the autopilot cannot handle fails before anything is written.
  const draft = autopilotBlueprint(input.prompt, input.template);
  return withTransaction(res.db, async (tx) => {
    let slug = input.project;
    if (slug) await requireProjectRole(tx, ctx.actor, slug, 'developer');
    else
      slug = (
        await createProject(tx, ctx, {
          name: draft.feature || 'New app',
          description: input.prompt.slice(0, 2000),
        })
      ).slug;
    const { row } = await createBlueprint(tx, ctx, {
      slug,
      prompt: input.prompt,
      template: input.template,
      autopilot: true,
    });
    // The autopilot fills every gap with an assumption; a prompt is a request to build, so build.
    const build = await startBuild({ ...res, db: tx }, ctx, row.id, {
      override: true,
      draft: { prompt: input.prompt, template: input.template },
      reviewFirst: input.reviewFirst,
    });
    return { ...build, projectSlug: slug, blueprintId: row.id };
  });
}
