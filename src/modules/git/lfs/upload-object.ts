import type { Readable } from 'node:stream';
import { PayloadTooLargeError, UnprocessableError, ValidationError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireLfsAccess } from './lfs-access.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { insertLfsObject } from './lfs-store.ts';
import { lfsObjectKey } from './object-key.ts';
import { OID } from './schemas.ts';
import { verifyingStream } from './verifying-stream.ts';

/**
 * The basic transfer's upload: streams the body into the blob store while hashing it, and records
 * the object once its bytes are stored. A body that is not the object the oid names (another
 * sha256, or not `declaredSize` bytes) fails the write, so nothing is kept. Access is checked
 * before a byte is read.
 */
export async function uploadObject(
  deps: Pick<LfsDeps, 'db' | 'blobs' | 'maxObjectBytes'>,
  actor: Actor,
  repo: string,
  oid: string,
  body: Readable,
  declaredSize: number | undefined,
): Promise<{ oid: string; size: number }> {
  const { project } = await requireLfsAccess(deps.db, actor, repo, 'write');
  if (!OID.test(oid))
    throw new UnprocessableError('The oid must be a sha256: 64 lowercase hexadecimal characters.');
  if (declaredSize !== undefined && declaredSize > deps.maxObjectBytes)
    throw new PayloadTooLargeError(
      `LFS objects are at most ${deps.maxObjectBytes} bytes here (git.lfsMaxObjectBytes); this one is ${declaredSize}.`,
    );
  const checked = verifyingStream({ oid, size: declaredSize, maxBytes: deps.maxObjectBytes });
  // A client that goes away mid-upload fails the write too (pipe alone would leave it waiting).
  body.once('error', (error) => checked.destroy(error));
  body.once('close', () => {
    if (!body.readableEnded)
      checked.destroy(new ValidationError('The client closed the upload before its end.'));
  });
  // The blob store's write sees the stream's error and rejects with it; this keeps `pipe`'s own
  // handler from re-emitting it once the write stopped listening.
  checked.on('error', () => undefined);
  body.pipe(checked);
  const written = await deps.blobs.put(lfsObjectKey(project.id, oid), checked);
  await insertLfsObject(deps.db, { projectId: project.id, oid, size: written.size });
  return { oid, size: written.size };
}
