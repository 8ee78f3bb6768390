import type { Readable } from 'node:stream';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireLfsAccess } from './lfs-access.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { findLfsObjects } from './lfs-store.ts';
import { lfsObjectKey } from './object-key.ts';
import { OID } from './schemas.ts';

/** The basic transfer's download: the object's bytes, when this project holds it (404 otherwise). */
export async function downloadObject(
  deps: Pick<LfsDeps, 'db' | 'blobs'>,
  actor: Actor,
  repo: string,
  oid: string,
): Promise<{ stream: Readable; size: number }> {
  const { project } = await requireLfsAccess(deps.db, actor, repo, 'read');
  const missing = () => new NotFoundError(`Object ${oid} does not exist in this repository.`);
  if (!OID.test(oid)) throw missing();
  if (!(await findLfsObjects(deps.db, project.id, [oid])).has(oid)) throw missing();
  const blob = await deps.blobs.get(lfsObjectKey(project.id, oid));
  if (!blob) throw new NotFoundError(`Object ${oid} is recorded but its bytes are gone; push it again.`);
  return blob;
}
