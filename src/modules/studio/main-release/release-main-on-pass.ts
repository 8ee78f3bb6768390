import type { Db } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import type { Logger } from '../../../platform/log.ts';
import { APP_SETTINGS_PATH } from '../../deploy/index.ts';
import { DEFAULT_BRANCH, readFileAt, repositoryPath } from '../../git/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import type { CommitPassedListener } from '../../pipelines/index.ts';
import { findProjectById } from '../../projects/index.ts';
import { MAIN_RELEASE_KIND, type MainReleaseInput, mainReleaseKey } from './main-release-input.ts';

/**
 * Production follows `main`: every commit of main that passes its pipeline (or has none) becomes
 * a release on staging, verified there (`studio.release-main`). Orchard does it on its own behalf
 * — whoever could put the commit on main has already been checked. A commit without
 * `.orchard/app.yml` has nothing to run.
 */
export function releaseMainOnPass(res: {
  db: Db;
  registry: Registry;
  logger: Logger;
  config: { home: string };
}): CommitPassedListener {
  return async (event) => {
    if (event.ref !== DEFAULT_BRANCH) return;
    const project = await findProjectById(res.db, event.projectId);
    if (!project || project.archived_at) return;
    const repo = repositoryPath(res.config.home, project.slug);
    if ((await readFileAt(repo, event.sha, APP_SETTINGS_PATH)) === undefined) return;
    const input: MainReleaseInput = { sha: event.sha, pipelineNumber: event.pipeline?.number ?? null };
    const op = await startOperation(res.db, res.registry, {
      kind: MAIN_RELEASE_KIND,
      input,
      actor: SYSTEM_ACTOR,
      projectId: project.id,
      idempotencyKey: mainReleaseKey(project.id, event.sha),
    });
    res.logger.info(
      { project: project.slug, sha: event.sha, operation: op.id },
      'main: releasing on staging',
    );
  };
}
