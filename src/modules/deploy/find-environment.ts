import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { parseEnvName } from './env-name.ts';
import { type EnvironmentWithSlug, findEnvironmentByName, listEnvironments } from './environment-store.ts';
import { envDirName } from './paths.ts';

/**
 * An environment named in a URL: `staging`, `preview%2Fx` (decoded to `preview/x`), `preview--x`,
 * or the environment part of its host label (`preview-feat-x` for branch `feat/x`).
 */
export async function findEnvironmentByParam(
  db: Queryable,
  projectId: string,
  param: string,
): Promise<EnvironmentWithSlug> {
  const name = parseEnvName(param);
  const direct = await findEnvironmentByName(db, projectId, name.name);
  if (direct) return direct;
  const wanted = param.toLowerCase();
  const match = (await listEnvironments(db, projectId)).find(
    (e) => envDirName(e.host_label, e.slug) === wanted,
  );
  if (match) return match;
  throw new NotFoundError(`No environment "${name.name}" in this project; deploy to it first.`);
}
