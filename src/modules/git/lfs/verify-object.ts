import { NotFoundError, UnprocessableError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireLfsAccess } from './lfs-access.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { findLfsObjects } from './lfs-store.ts';
import type { VerifyObjectBody } from './schemas.ts';

/** The verify action after an upload: the project holds the object, at the size the client sent. */
export async function verifyObject(
  deps: Pick<LfsDeps, 'db'>,
  actor: Actor,
  repo: string,
  oid: string,
  body: VerifyObjectBody,
): Promise<void> {
  const { project } = await requireLfsAccess(deps.db, actor, repo, 'write');
  if (body.oid !== oid)
    throw new UnprocessableError(`The body names object ${body.oid}, the URL ${oid}; send the same oid.`);
  const row = (await findLfsObjects(deps.db, project.id, [oid])).get(oid);
  if (!row) throw new NotFoundError(`Object ${oid} was not uploaded to this repository.`);
  if (row.size !== body.size)
    throw new UnprocessableError(`Object ${oid} is ${row.size} bytes here, not ${body.size}.`);
}
