import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { actorDisplayName } from '../../platform/http/actor.ts';
import { repositoryPath, resolveRevision } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { type Registry, startOperation } from '../operations/index.ts';
import type { DeployDeps } from './deps.ts';
import { checkDeployRef } from './releases/deploy-ref.ts';

/**
 * `POST …/deploy`: checks the environment and the ref (a ref that does not exist is a 404 here,
 * not a failure later inside the operation), then starts `deploy.release` with its audit row in
 * one transaction.
 */
export async function startDeploy(
  deps: DeployDeps,
  registry: Registry,
  ctx: RequestContext,
  input: { slug: string; env: string; ref?: string },
) {
  const { env, project, ref } = await checkDeployRef(deps, ctx, input);
  await resolveRevision(repositoryPath(deps.config.home, project.slug), ref, 'ref');
  const { id } = await withTransaction(deps.db, async (tx) => {
    const started = await startOperation(tx, registry, {
      kind: 'deploy.release',
      // An agent's deploy is recorded as the agent acting for its person: `agent-shop (for alice)`.
      input: { env: env.name, ref, requestedBy: actorDisplayName(ctx.actor) },
      actor: ctx.actor,
      projectId: project.id,
      clock: deps.clock,
    });
    await recordAudit(tx, ctx, {
      action: 'operation.start',
      target: { type: 'operation', id: started.id },
      projectId: project.id,
      data: { kind: 'deploy.release', environment: env.name, ref },
    });
    return started;
  });
  return { operationId: id, environment: env.name, ref };
}
