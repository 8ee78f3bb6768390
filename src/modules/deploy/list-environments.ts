import type { Queryable } from '../../platform/db/pool.ts';
import { type EnvironmentRow, listEnvironments } from './environment-store.ts';
import { previousReleases } from './releases/deployment-store.ts';
import { findReleasesByIds } from './releases/release-store.ts';
import type { EnvironmentView } from './schemas.ts';
import type { AppUrls } from './serve/urls.ts';
import { toEnvironmentView } from './views.ts';

/** Views of environments with their current releases and what a rollback would go back to. */
export async function environmentViews(
  db: Queryable,
  urls: AppUrls,
  envs: EnvironmentRow[],
): Promise<EnvironmentView[]> {
  const previous = await previousReleases(db, envs);
  const ids = [
    ...new Set(
      [...envs.map((e) => e.current_release_id), ...previous.values()].filter((id): id is string =>
        Boolean(id),
      ),
    ),
  ];
  const byId = new Map((await findReleasesByIds(db, ids)).map((r) => [r.id, r]));
  return envs.map((e) => {
    const back = previous.get(e.id);
    const target = back ? byId.get(back) : undefined;
    // Production goes back only to a verified release (rollback refuses others), previews never.
    const rollbackTo =
      target && e.kind !== 'preview' && (e.kind !== 'production' || target.verified) ? target : undefined;
    return toEnvironmentView(
      e,
      e.current_release_id ? byId.get(e.current_release_id) : undefined,
      urls,
      rollbackTo,
    );
  });
}

/** A project's environments: production, staging, then previews by name. */
export async function listEnvironmentViews(db: Queryable, urls: AppUrls, projectId: string) {
  return environmentViews(db, urls, await listEnvironments(db, projectId));
}
