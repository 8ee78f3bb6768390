import type { Queryable } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { type ProjectAccess, type ProjectRole, requireProjectRole } from '../projects/index.ts';
import type { EnvName } from './env-name.ts';
import { findReleasesByRef, type ReleaseRow } from './releases/release-store.ts';

/** Developers deploy staging and previews; production changes (publish, rollback) need maintainers. */
export function roleToChange(env: EnvName): ProjectRole {
  return env.kind === 'production' ? 'maintainer' : 'developer';
}

export function requireEnvRole(
  db: Queryable,
  actor: Actor,
  slug: string,
  env: EnvName,
): Promise<ProjectAccess> {
  return requireProjectRole(db, actor, slug, roleToChange(env));
}

/** A release of the project by id or (abbreviated, ≥ 4 hex) sha; 404 / 400 naming `field`. */
export async function resolveReleaseRef(
  db: Queryable,
  projectId: string,
  ref: string,
  field = 'release',
): Promise<ReleaseRow> {
  const found = await findReleasesByRef(db, projectId, ref.trim().toLowerCase());
  if (!found.length)
    throw new NotFoundError(`No release "${ref}" in this project; GET …/releases lists them.`);
  if (found.length > 1) {
    throw new ValidationError(`"${ref}" matches several releases; give more of the sha.`, [
      { field, message: 'is ambiguous' },
    ]);
  }
  return found[0]!;
}

/** Releases whose files were pruned cannot run again without a rebuild. */
export function requireKept(release: ReleaseRow): ReleaseRow {
  if (release.status !== 'ready') {
    const short = release.sha.slice(0, 7);
    throw new ConflictError(
      release.status === 'pruned'
        ? `Release ${short} is no longer kept (only the newest releases are); deploy commit ${short} again.`
        : `Release ${short} is ${release.status}, not ready to run.`,
    );
  }
  return release;
}
