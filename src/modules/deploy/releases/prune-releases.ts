import { rm } from 'node:fs/promises';
import type { DeployDeps } from '../deps.ts';
import { markReleasePruned, prunableReleases } from './release-store.ts';

/**
 * Deletes the files of releases beyond the newest `deploy.keepReleases` of a project, never one an
 * environment runs or is about to run. Their rows stay (status `pruned`) for the history.
 */
export async function pruneReleases(deps: Pick<DeployDeps, 'db' | 'config' | 'clock'>, projectId: string) {
  const victims = await prunableReleases(deps.db, projectId, deps.config.deploy.keepReleases);
  for (const release of victims) {
    await rm(release.path, { recursive: true, force: true });
    await markReleasePruned(deps.db, release.id, deps.clock.now());
  }
  return victims.map((r) => r.id);
}
