import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { dropOrphanedPreviewDatabases } from '../databases/drop-preview-databases.ts';
import type { DeployDeps } from '../deps.ts';
import { expiredPreviews } from '../environment-store.ts';
import { removeEnvironment } from '../remove-environment.ts';

/**
 * Removes previews whose TTL has passed (pinned ones never expire), then drops the databases of
 * previews that are gone but whose drop failed before. Returns the names of the previews removed.
 */
export async function sweepExpiredPreviews(deps: DeployDeps): Promise<string[]> {
  const removed: string[] = [];
  for (const env of await expiredPreviews(deps.db, deps.clock.now())) {
    await removeEnvironment(deps, { actor: SYSTEM_ACTOR }, env, 'preview expired');
    deps.logger.info({ project: env.slug, environment: env.name }, 'deploy: removed an expired preview');
    removed.push(`${env.slug}/${env.name}`);
  }
  await dropOrphanedPreviewDatabases(deps);
  return removed;
}
