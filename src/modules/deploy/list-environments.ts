import type { Queryable } from '../../platform/db/pool.ts';
import { type EnvironmentRow, listEnvironments } from './environment-store.ts';
import { findReleasesByIds } from './releases/release-store.ts';
import type { EnvironmentView } from './schemas.ts';
import type { AppUrls } from './serve/urls.ts';
import { toEnvironmentView } from './views.ts';

/** Views of environments with their current releases (one query for the releases). */
export async function environmentViews(
  db: Queryable,
  urls: AppUrls,
  envs: EnvironmentRow[],
): Promise<EnvironmentView[]> {
  const ids = [...new Set(envs.map((e) => e.current_release_id).filter((id): id is string => Boolean(id)))];
  const byId = new Map((await findReleasesByIds(db, ids)).map((r) => [r.id, r]));
  return envs.map((e) =>
    toEnvironmentView(e, e.current_release_id ? byId.get(e.current_release_id) : undefined, urls),
  );
}

/** A project's environments: production, staging, then previews by name. */
export async function listEnvironmentViews(db: Queryable, urls: AppUrls, projectId: string) {
  return environmentViews(db, urls, await listEnvironments(db, projectId));
}
