import type { RequestContext } from '../../../platform/context.ts';
import { type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { traceparentOf } from '../../../platform/tracing.ts';
import { recordAudit } from '../../identity/index.ts';
import type { ProjectRow } from '../../projects/index.ts';
import { awaitRollout } from '../await-rollout.ts';
import type { DeployDeps } from '../deps.ts';
import type { EnvName } from '../env-name.ts';
import {
  type EnvironmentRow,
  type EnvironmentWithSlug,
  ensureEnvironment,
  findEnvironment,
  findEnvironmentByName,
  labelTaken,
  requestRelease,
} from '../environment-store.ts';
import { DeployFailedError } from '../errors.ts';
import { hostLabel } from '../serve/host-label.ts';
import {
  type DeploymentKind,
  type DeploymentRow,
  insertDeployment,
  latestDeployment,
} from './deployment-store.ts';
import type { ReleaseRow } from './release-store.ts';

export const DEPLOY_CHANNEL = 'deploy_environments';

export interface DeployReleaseInput {
  project: ProjectRow;
  env: EnvName;
  release: ReleaseRow;
  kind: DeploymentKind;
  ctx: RequestContext;
  operationId?: string | null;
  /**
   * When the environment already runs this release (or a deploy of it is under way), wait for that
   * instead of starting it again: a preview asked for by both a build and its merge request is
   * started once, not swapped under the browser robot checking it.
   */
  unlessServing?: boolean;
}

/**
 * Asks for `release` to run in an environment (created on first deploy) and waits for the
 * supervisor's health-gated swap. Resolves with the environment once the release serves traffic;
 * throws DeployFailedError (naming the health check's answer and the last log lines) when it
 * never became healthy — the previous release then keeps serving. Callers check permissions.
 */
export async function deployRelease(
  deps: DeployDeps,
  input: DeployReleaseInput,
): Promise<EnvironmentWithSlug> {
  const { db, clock, config } = deps;
  const { project, env, release, ctx } = input;
  const label = await labelFor(deps, project, env);
  const { environment, deployment, fresh } = await withTransaction(db, async (tx) => {
    const now = clock.now();
    const row = await ensureEnvironment(tx, {
      projectId: project.id,
      name: env.name,
      kind: env.kind,
      branch: env.branch ?? null,
      hostLabel: label,
      access: env.kind === 'production' || !config.deploy.privateByDefault ? 'public' : 'private',
      now,
    });
    const standing = input.unlessServing ? await standingDeployment(tx, row, release.id) : undefined;
    if (standing) return { environment: row, deployment: standing, fresh: false };
    const ttlMs = config.deploy.previewTtlHours * 3_600_000;
    const expiresAt = env.kind === 'preview' && !row.pinned ? new Date(now.getTime() + ttlMs) : undefined;
    const updated = await requestRelease(tx, row.id, { releaseId: release.id, expiresAt, now });
    const deployment = await insertDeployment(tx, {
      environmentId: row.id,
      releaseId: release.id,
      previousReleaseId: row.current_release_id,
      kind: input.kind,
      generation: updated.generation,
      actorName: ctx.actor.username,
      operationId: input.operationId ?? null,
      traceparent: traceparentOf(),
      now,
    });
    await recordAudit(tx, ctx, {
      action: `environment.${input.kind}`,
      target: { type: 'environment', id: row.id },
      projectId: project.id,
      data: { environment: env.name, release: release.id, sha: release.sha },
    });
    await tx.query('SELECT pg_notify($1, $2)', [DEPLOY_CHANNEL, row.id]);
    return { environment: updated, deployment, fresh: true };
  });
  const outcome = await awaitRollout(deps, environment.id, deployment.id);
  if (outcome.status === 'failed') {
    throw new DeployFailedError(
      outcome.error ?? `Release ${release.sha.slice(0, 7)} did not become healthy.`,
      {
        environment: env.name,
        release: release.id,
      },
    );
  }
  const serving = (await findEnvironment(db, environment.id))!;
  // Waiting for a deploy somebody else asked for: theirs is the news.
  if (!fresh) return serving;
  await deps
    .onDeployed?.({
      deploymentId: deployment.id,
      kind: input.kind,
      environment: {
        id: serving.id,
        name: serving.name,
        kind: serving.kind,
        projectId: project.id,
        projectSlug: project.slug,
      },
      release: { id: release.id, sha: release.sha },
      actorId: isSystemActor(ctx.actor) ? null : (ctx.actor.delegation?.byUserId ?? ctx.actor.userId),
    })
    .catch((error: Error) => deps.logger.error({ err: error }, 'the news of a deploy was not recorded'));
  return serving;
}

/**
 * The deployment of `releaseId` that stands for the environment now: the newest one asked for, if
 * it is of that release and still pending, or succeeded with the release still serving (asleep
 * counts: the next request starts it).
 */
async function standingDeployment(
  db: Queryable,
  env: EnvironmentRow,
  releaseId: string,
): Promise<DeploymentRow | undefined> {
  if (env.desired_state !== 'running' || env.desired_release_id !== releaseId) return undefined;
  const latest = await latestDeployment(db, env.id, env.generation);
  if (!latest || latest.release_id !== releaseId) return undefined;
  if (latest.status === 'pending') return latest;
  // Succeeded at the environment's generation: that release is its current one, observed.
  const serving = latest.status === 'succeeded' && (env.status === 'running' || env.status === 'sleeping');
  return serving ? latest : undefined;
}

/** The environment's label: kept once assigned; the hashed form when the plain one is another's. */
async function labelFor(deps: DeployDeps, project: ProjectRow, env: EnvName): Promise<string> {
  const existing = await findEnvironmentByName(deps.db, project.id, env.name);
  if (existing) return existing.host_label;
  const plain = hostLabel(env.name, project.slug);
  return (await labelTaken(deps.db, plain)) ? hostLabel(env.name, project.slug, { hashed: true }) : plain;
}
