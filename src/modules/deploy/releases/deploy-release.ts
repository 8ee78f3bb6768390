import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { traceparentOf } from '../../../platform/tracing.ts';
import { recordAudit } from '../../identity/index.ts';
import type { ProjectRow } from '../../projects/index.ts';
import { awaitRollout } from '../await-rollout.ts';
import type { DeployDeps } from '../deps.ts';
import type { EnvName } from '../env-name.ts';
import {
  type EnvironmentWithSlug,
  ensureEnvironment,
  findEnvironment,
  findEnvironmentByName,
  labelTaken,
  requestRelease,
} from '../environment-store.ts';
import { DeployFailedError } from '../errors.ts';
import { hostLabel } from '../serve/host-label.ts';
import { type DeploymentKind, insertDeployment } from './deployment-store.ts';
import type { ReleaseRow } from './release-store.ts';

export const DEPLOY_CHANNEL = 'deploy_environments';

export interface DeployReleaseInput {
  project: ProjectRow;
  env: EnvName;
  release: ReleaseRow;
  kind: DeploymentKind;
  ctx: RequestContext;
  operationId?: string | null;
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
  const { environment, deployment } = await withTransaction(db, async (tx) => {
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
    return { environment: updated, deployment };
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

/** The environment's label: kept once assigned; the hashed form when the plain one is another's. */
async function labelFor(deps: DeployDeps, project: ProjectRow, env: EnvName): Promise<string> {
  const existing = await findEnvironmentByName(deps.db, project.id, env.name);
  if (existing) return existing.host_label;
  const plain = hostLabel(env.name, project.slug);
  return (await labelTaken(deps.db, plain)) ? hostLabel(env.name, project.slug, { hashed: true }) : plain;
}
