import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, UnprocessableError } from '../../../platform/errors.ts';
import { slugify } from '../../../platform/slugify.ts';
import { isReadyToBuild } from '../../blueprint/index.ts';
import { recordAudit } from '../../identity/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { lockProjectOperations, type Registry, startOperation } from '../../operations/index.ts';
import { SCAFFOLD_FIT, type TemplateFit, templateFit } from '../architect/template-fit.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { requestedBy } from '../deps.ts';
import { featureSlugTaken, insertFeature, latestFeature, updateFeature } from '../feature-store.ts';
import { classifyRequest } from '../sdlc/classify-request.ts';
import { type Classification, personClassification, SDLC_PATHS, type SdlcKind } from '../sdlc/sdlc-kinds.ts';
import { type BlueprintRow, findBlueprint, setBlueprintStatus } from '../store.ts';
import type { BuildInput } from './build-input.ts';
import { reconcileBuilding } from './settle-build.ts';

export interface StartBuildOptions {
  /** Build although readiness rules are unmet (the user takes responsibility). */
  override?: boolean;
  draft?: BuildInput['draft'];
  until?: BuildInput['until'];
  /** A change request: the agent builds it on a branch of its own, from the default branch. */
  change?: string;
  /** Wait for a review before main (default: the project's setting). */
  reviewFirst?: boolean;
  /**
   * What kind of work it is (classifyRequest, or a person's choice): the phases the feature walks.
   * Default: a build of the whole Blueprint, a new feature.
   */
  classification?: Classification;
  /** A person's choice of kind for a change request (else the classifier reads the request). */
  kind?: SdlcKind;
}

/** A build of the whole Blueprint makes what it describes: a new feature, with every phase. */
export function wholeBlueprintClassification(at: Date): Classification {
  return {
    kind: 'feature',
    confidence: 1,
    phases: [...SDLC_PATHS.feature],
    source: 'rules',
    reason: 'A build of the whole Blueprint makes what it describes: a new feature.',
    at: at.toISOString(),
  };
}

/** A change request's first line, as a feature's title. */
export function requestTitle(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** What a build without a model can do, and what it cannot: said before anything is written. */
export function noCoderMessage(fit: TemplateFit): string {
  return `${fit.reason} Building it needs a coding agent, and no LLM provider is configured for the "coder" alias. Add a provider (Settings → LLM providers, POST /api/llm/providers, or llm.providers in orchard.yaml) and map the coder alias to one of its models, then build again. Nothing was built.`;
}

/** `orchard/<slug>`: the Blueprint's earlier branch when it has one, else one no other Blueprint uses. */
async function featureSlug(tx: Queryable, blueprint: BlueprintRow): Promise<string> {
  const earlier = await latestFeature(tx, blueprint.id);
  if (earlier) return earlier.slug;
  const base =
    slugify(blueprint.document.feature || blueprint.title, 'project')
      .slice(0, 40)
      .replace(/-+$/, '') || 'feature';
  if (!(await featureSlugTaken(tx, blueprint.project_id, base, blueprint.id))) return base;
  return `${base}-${blueprint.id.slice(0, 6)}`;
}

/** No Blueprint has this id: with it, featureSlugTaken looks at every feature of the project. */
const NO_BLUEPRINT = '00000000-0000-0000-0000-000000000000';

/** `<feature>-change-<n>`: a branch of its own for each change request to a built app. */
async function changeSlug(tx: Queryable, blueprint: BlueprintRow, change: string): Promise<string> {
  const base = (await featureSlug(tx, blueprint)).slice(0, 24).replace(/-+$/, '');
  const words = slugify(change, 'change').slice(0, 16).replace(/-+$/, '');
  for (let n = 1; ; n++) {
    const slug = `${base}-${words}${n > 1 ? `-${n}` : ''}`;
    if (!(await featureSlugTaken(tx, blueprint.project_id, slug, NO_BLUEPRINT))) return slug;
  }
}

/**
 * Starts a build of a Blueprint (developers): refuses one already building or discarded (409) and
 * one whose readiness rules are unmet unless overridden (422 listing them); records a feature in
 * `spec`, marks the Blueprint `building` and starts `studio.build` — all in one transaction (the
 * caller's when `res.db` is one).
 */
export async function startBuild(
  res: {
    db: Db | DbClient;
    registry: Registry;
    clock: Clock;
    llm?: Pick<LlmGateway, 'isConfigured' | 'generateObject'>;
  },
  ctx: RequestContext,
  blueprintId: string,
  options: StartBuildOptions = {},
): Promise<{
  operationId: string;
  featureId: string;
  branch: string;
  projectSlug: string;
  runtime: BuildInput['runtime'];
  fit: TemplateFit;
  classification: Classification;
}> {
  const { project, blueprint: current } = await requireBlueprint(res.db, ctx.actor, blueprintId, 'developer');
  const doc = current.document;
  const request =
    options.change ??
    options.draft?.prompt ??
    ([doc.feature, doc.summary].filter(Boolean).join('. ') || current.title);
  const fit = templateFit(request, options.draft?.template ?? doc.template);
  const runtime = options.change || fit.confidence < SCAFFOLD_FIT ? 'llm-agent' : 'scaffold';
  // Refused before anything is written: building something the templates do not make needs a model.
  if (runtime === 'llm-agent' && !(await res.llm?.isConfigured({ alias: 'coder' })))
    throw new UnprocessableError(
      options.change
        ? 'A change request is built by a coding agent, and no LLM provider is configured for the "coder" alias. Add a provider (Settings → LLM providers, POST /api/llm/providers, or llm.providers in orchard.yaml) and map the coder alias to one of its models. Nothing was changed.'
        : noCoderMessage(fit),
      { fit },
    );
  // Outside the transaction: the classifier may ask the LLM, and nothing waits on a lock meanwhile.
  const classification =
    options.classification ??
    (options.kind
      ? personClassification(options.kind, ctx.actor.username, res.clock.now(), {
          reason: `${ctx.actor.username} said what kind of work it is when asking for it.`,
        })
      : options.change
        ? await classifyRequest(
            { clock: res.clock, llm: res.llm },
            { request: options.change, context: { projectId: project.id } },
          )
        : wholeBlueprintClassification(res.clock.now()));
  return withTransaction(res.db, async (tx) => {
    // Before the Blueprint's row: the build workflow's hooks lock that row under this lock.
    await lockProjectOperations(tx, project.id);
    const blueprint = await reconcileBuilding(tx, res.clock, (await findBlueprint(tx, blueprintId, true))!);
    if (blueprint.status === 'building') {
      const running = await latestFeature(tx, blueprintId);
      throw new ConflictError(
        `The Blueprint is already being built (operation ${running?.operation_id ?? 'unknown'}); wait for it or cancel it.`,
        { operationId: running?.operation_id ?? null },
      );
    }
    if (blueprint.status === 'discarded')
      throw new ConflictError('The Blueprint is discarded; set its status to draft to build it.');
    const readiness = isReadyToBuild(blueprint.document);
    if (!readiness.ready && !options.override) {
      throw new UnprocessableError(
        `The Blueprint is not ready to build: ${readiness.unmet.map((u) => u.message).join(' ')} Fix these, or send override: true to build anyway.`,
        { unmet: readiness.unmet },
      );
    }
    if (options.change && !(await latestFeature(tx, blueprintId)))
      throw new ConflictError('Build the Blueprint first: a change request changes an app that was built.');
    const slug = options.change
      ? await changeSlug(tx, blueprint, options.change)
      : await featureSlug(tx, blueprint);
    const branch = `orchard/${slug}`;
    const feature = await insertFeature(tx, {
      projectId: project.id,
      blueprintId,
      slug,
      branch,
      title: options.change ? requestTitle(options.change) : blueprint.document.feature || blueprint.title,
      classification,
      assigneeAgent: runtime,
    });
    await setBlueprintStatus(tx, blueprintId, 'building');
    const input = {
      blueprintId,
      featureId: feature.id,
      requestedBy: requestedBy(ctx.actor),
      ...(options.draft ? { draft: options.draft } : {}),
      until: options.until ?? 'verify',
      runtime,
      change: Boolean(options.change),
      reviewFirst: options.reviewFirst ?? project.review_first,
      request,
      fit,
    } satisfies BuildInput;
    const op = await startOperation(tx, res.registry, {
      kind: 'studio.build',
      input,
      actor: ctx.actor,
      projectId: project.id,
      clock: res.clock,
    });
    await updateFeature(tx, feature.id, { operationId: op.id });
    await recordAudit(tx, ctx, {
      action: 'blueprint.build',
      target: { type: 'blueprint', id: blueprintId },
      projectId: project.id,
      data: {
        featureId: feature.id,
        operationId: op.id,
        version: blueprint.version,
        override: !readiness.ready,
        runtime,
        change: Boolean(options.change),
        kind: classification.kind,
        classifiedBy: classification.source,
      },
    });
    return {
      operationId: op.id,
      featureId: feature.id,
      branch,
      projectSlug: project.slug,
      runtime,
      fit,
      classification,
    };
  });
}
