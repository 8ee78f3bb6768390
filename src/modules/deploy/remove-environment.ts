import { rm } from 'node:fs/promises';
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { dropPreviewDatabase } from './databases/drop-preview-databases.ts';
import type { DeployDeps } from './deps.ts';
import { previewName } from './env-name.ts';
import { deleteEnvironment, type EnvironmentWithSlug, findEnvironmentByName } from './environment-store.ts';
import { dataDir, logFile } from './paths.ts';
import { DEPLOY_CHANNEL } from './releases/deploy-release.ts';

/**
 * Removes an environment: its row (the supervisor holding it stops the app), its data directory,
 * its log and, for a preview, its database and role. Releases stay (pruned by age like any other).
 */
export async function removeEnvironment(
  deps: DeployDeps,
  ctx: RequestContext,
  env: EnvironmentWithSlug,
  reason: string,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    await deleteEnvironment(tx, env.id);
    await recordAudit(tx, ctx, {
      action: 'environment.remove',
      target: { type: 'environment', id: env.id },
      projectId: env.project_id,
      data: { environment: env.name, reason },
    });
    await tx.query('SELECT pg_notify($1, $2)', [DEPLOY_CHANNEL, env.id]);
  });
  // The local supervisor notices at once that the row is gone and stops the app.
  await deps.supervisor?.reconcile(env.id);
  await dropPreviewDatabase(deps, env);
  const { home } = deps.config;
  await rm(dataDir(home, env.slug, env.host_label), { recursive: true, force: true });
  await rm(logFile(home, env.slug, env.host_label), { force: true });
}

/**
 * Removes a branch's preview (its merge request was merged or closed). Returns false when the
 * branch had none.
 */
export async function removePreview(
  deps: DeployDeps,
  ctx: RequestContext,
  input: { slug: string; branch: string },
): Promise<boolean> {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'developer');
  const env = await findEnvironmentByName(deps.db, project.id, previewName(input.branch));
  if (!env) return false;
  await removeEnvironment(deps, ctx, env, 'merge request closed or merged');
  return true;
}

/** Loads an environment of a project by its parsed name (404 naming it otherwise). */
export async function requireEnvironment(deps: Pick<DeployDeps, 'db'>, projectId: string, name: string) {
  const env = await findEnvironmentByName(deps.db, projectId, name);
  if (!env) throw new NotFoundError(`No environment "${name}" in this project; deploy to it first.`);
  return env;
}
