import type { Queryable } from '../../platform/db/pool.ts';
import { type EnvironmentRow, listMainEnvironmentsOf } from './environment-store.ts';
import { findReleasesByIds } from './releases/release-store.ts';
import type { EnvironmentView, ReleaseView } from './schemas.ts';
import type { AppUrls } from './serve/urls.ts';
import { toReleaseView } from './views.ts';

/** What a project's staging or production shows at a glance: its public URL and what runs there. */
export interface EnvironmentSummary {
  url: string;
  status: EnvironmentView['status'];
  deployedAt: string | null;
  /** The release serving traffic, with its verification. */
  release: ReleaseView | null;
}

export interface MainEnvironments {
  staging: EnvironmentSummary | null;
  production: EnvironmentSummary | null;
}

/**
 * Staging and production of each project, for views of many projects at once: two statements
 * whatever the number of projects. Every project asked about gets an entry.
 */
export async function summarizeEnvironments(
  db: Queryable,
  urls: AppUrls,
  projectIds: ReadonlyArray<string>,
): Promise<Map<string, MainEnvironments>> {
  const wanted = [...new Set(projectIds)];
  const out = new Map<string, MainEnvironments>(
    wanted.map((id) => [id, { staging: null, production: null }]),
  );
  if (!wanted.length) return out;
  const envs = await listMainEnvironmentsOf(db, wanted);
  const releaseIds = envs.map((e) => e.current_release_id).filter((id): id is string => Boolean(id));
  const releases = new Map((await findReleasesByIds(db, [...new Set(releaseIds)])).map((r) => [r.id, r]));
  for (const e of envs) {
    const entry = out.get(e.project_id);
    if (!entry || (e.kind !== 'staging' && e.kind !== 'production')) continue;
    const release = e.current_release_id ? releases.get(e.current_release_id) : undefined;
    entry[e.kind] = summaryOf(e, urls, release ? toReleaseView(release) : null);
  }
  return out;
}

function summaryOf(e: EnvironmentRow, urls: AppUrls, release: ReleaseView | null): EnvironmentSummary {
  return {
    url: urls.app(e.host_label),
    status: e.status,
    deployedAt: e.deployed_at?.toISOString() ?? null,
    release,
  };
}
