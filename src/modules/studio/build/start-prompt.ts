import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { UnprocessableError } from '../../../platform/errors.ts';
import type { TemplateId } from '../../blueprint/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { Registry } from '../../operations/index.ts';
import { createProject, requireProjectRole } from '../../projects/index.ts';
import { autopilotBlueprint } from '../architect/autopilot-blueprint.ts';
import { createBlueprint } from '../create-blueprint.ts';
import { latestDoneFeatureOfProject } from '../feature-store.ts';
import { classifyRequest } from '../sdlc/classify-request.ts';
import { type Classification, KIND_LABELS, personClassification, type SdlcKind } from '../sdlc/sdlc-kinds.ts';
import { startBuild } from './start-build.ts';

export interface PromptInput {
  prompt: string;
  template?: TemplateId;
  /** An existing project's slug; without it a project is created, named after the prompt. */
  project?: string;
  /** Wait for a review before main, even on the first build. */
  reviewFirst?: boolean;
  /** What kind of work it is, said by the person (else the classifier reads the prompt). */
  kind?: SdlcKind;
}

type PromptDeps = {
  db: Db;
  registry: Registry;
  clock: Clock;
  llm?: Pick<LlmGateway, 'isConfigured' | 'generateObject'>;
};

/**
 * A landing prompt: a project (created when none is named), a Blueprint drafted by the rule-based
 * autopilot at once, and a build whose first step lets the LLM Architect redraft it when one is
 * configured. The whole lifecycle is the one `studio.build` operation. Project, Blueprint and build
 * start in one transaction: a failure leaves no half-made project behind.
 *
 * A prompt to a project whose app is built is classified first (routeToBuiltApp): a change, a bug
 * fix or a chore goes to a coding agent as a change request of that app's Blueprint, with the
 * phases its kind needs (a bug fix skips spec and plan); only a new feature drafts a new Blueprint.
 */
export async function startPromptBuild(res: PromptDeps, ctx: RequestContext, input: PromptInput) {
  const routed = input.project ? await routeToBuiltApp(res, ctx, input, input.project) : undefined;
  if (routed?.change) return routed.change;
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
      ...(routed ? { classification: routed.classification } : {}),
    });
    return { ...build, projectSlug: slug, blueprintId: row.id, route: 'blueprint' as const };
  });
}

/**
 * For a project whose app is built: what kind of work the prompt asks for, and — unless it is a new
 * feature — the change request that does it. Returns just the classification for a new feature,
 * nothing for a project with no built app (everything there is new).
 */
async function routeToBuiltApp(res: PromptDeps, ctx: RequestContext, input: PromptInput, slug: string) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const built = await latestDoneFeatureOfProject(res.db, project.id);
  if (!built) return undefined;
  const classification: Classification = input.kind
    ? personClassification(input.kind, ctx.actor.username, res.clock.now(), {
        reason: `${ctx.actor.username} said what kind of work it is when asking for it.`,
      })
    : await classifyRequest(res, { request: input.prompt, context: { projectId: project.id } });
  if (classification.kind === 'feature') return { classification, change: undefined };
  if (!(await res.llm?.isConfigured({ alias: 'coder' })))
    throw new UnprocessableError(
      `This reads as a ${KIND_LABELS[classification.kind]} of the app ${project.slug} has (${classification.reason}) A ${KIND_LABELS[classification.kind]} is made by a coding agent, and no LLM provider is configured for the "coder" alias. Configure one, or send kind: "feature" to draft a new Blueprint instead. Nothing was changed.`,
      { classification },
    );
  const build = await startBuild(res, ctx, built.blueprint_id, {
    change: input.prompt,
    override: true,
    reviewFirst: input.reviewFirst,
    classification,
  });
  return {
    classification,
    change: {
      ...build,
      projectSlug: project.slug,
      blueprintId: built.blueprint_id,
      route: 'change' as const,
    },
  };
}
