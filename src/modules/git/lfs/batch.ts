import { PayloadTooLargeError, UnprocessableError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { repoSlug, requireLfsAccess } from './lfs-access.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { findLfsObjects, type LfsObjectRow } from './lfs-store.ts';
import {
  type BatchObject,
  type BatchRequest,
  type BatchResponse,
  type LfsAction,
  MAX_BATCH_OBJECTS,
  OID,
} from './schemas.ts';

/** How long a transfer action is good for; a client whose action expired asks the batch API again. */
export const ACTION_TTL_SECONDS = 3600;

export interface TransferLinks {
  /** Orchard's origin as the client reached it (`orchardOrigin`). */
  origin: string;
  /** The Authorization header the client sent: the transfers carry the same credential. */
  authorization: string;
}

/**
 * The batch API: for each object, where to download or upload it (Orchard's own transfer routes),
 * nothing for an upload the project already holds, or an error of that object alone (404 missing,
 * 422 a bad oid or size, 409 another hash algorithm).
 */
export async function answerBatch(
  deps: Pick<LfsDeps, 'db' | 'clock' | 'maxObjectBytes'>,
  actor: Actor,
  repo: string,
  body: BatchRequest,
  links: TransferLinks,
): Promise<BatchResponse> {
  const upload = body.operation === 'upload';
  const { project } = await requireLfsAccess(deps.db, actor, repo, upload ? 'write' : 'read');
  if (body.transfers?.length && !body.transfers.includes('basic'))
    throw new UnprocessableError(
      `Orchard serves only the "basic" transfer adapter; the client offered ${body.transfers.join(', ')}.`,
    );
  if (body.objects.length > MAX_BATCH_OBJECTS)
    throw new PayloadTooLargeError(
      `A batch names at most ${MAX_BATCH_OBJECTS} objects; this one names ${body.objects.length}. Send them in smaller batches.`,
    );
  const stored = await findLfsObjects(
    deps.db,
    project.id,
    [...new Set(body.objects.map((o) => o.oid))].filter((oid) => OID.test(oid)),
  );
  const base = `${links.origin}/git/${repoSlug(repo)}.git/info/lfs/objects`;
  const action = (href: string): LfsAction => ({
    href,
    header: { Authorization: links.authorization },
    expires_in: expiresIn(actor.expiresAt, deps.clock.now()),
  });
  const answer = (o: { oid: string; size: number }): BatchObject => {
    const problem = objectProblem(
      o,
      { upload, hashAlgo: body.hash_algo, maxBytes: deps.maxObjectBytes },
      stored.get(o.oid),
    );
    if (problem) return { oid: o.oid, size: o.size, error: problem };
    if (upload) {
      if (stored.has(o.oid)) return { oid: o.oid, size: o.size };
      return {
        oid: o.oid,
        size: o.size,
        authenticated: true,
        actions: { upload: action(`${base}/${o.oid}`), verify: action(`${base}/${o.oid}/verify`) },
      };
    }
    return {
      oid: o.oid,
      size: o.size,
      authenticated: true,
      actions: { download: action(`${base}/${o.oid}`) },
    };
  };
  return { transfer: 'basic', objects: body.objects.map(answer), hash_algo: 'sha256' };
}

/** Why this one object cannot be transferred, as the spec's per-object error; undefined when it can. */
function objectProblem(
  o: { oid: string; size: number },
  batch: { upload: boolean; hashAlgo: string | undefined; maxBytes: number },
  row: LfsObjectRow | undefined,
): BatchObject['error'] {
  if (batch.hashAlgo && batch.hashAlgo !== 'sha256')
    return { code: 409, message: `Orchard names LFS objects by sha256 only, not ${batch.hashAlgo}.` };
  if (!OID.test(o.oid))
    return { code: 422, message: 'The oid must be a sha256: 64 lowercase hexadecimal characters.' };
  if (!Number.isSafeInteger(o.size) || o.size < 0)
    return { code: 422, message: 'The size must be a whole number of bytes, 0 or more.' };
  if (batch.upload && o.size > batch.maxBytes)
    return {
      code: 422,
      message: `LFS objects are at most ${batch.maxBytes} bytes here (git.lfsMaxObjectBytes); this one is ${o.size}.`,
    };
  if (row && row.size !== o.size)
    return { code: 422, message: `Object ${o.oid} is ${row.size} bytes here, not ${o.size}.` };
  if (!row && !batch.upload) return { code: 404, message: `Object ${o.oid} does not exist.` };
  return undefined;
}

/** Seconds an action is good for: the TTL, or less when the credential expires sooner. */
function expiresIn(credentialExpiresAt: Date | undefined, now: Date) {
  if (!credentialExpiresAt) return ACTION_TTL_SECONDS;
  const left = Math.floor((credentialExpiresAt.getTime() - now.getTime()) / 1000);
  return Math.max(0, Math.min(ACTION_TTL_SECONDS, left));
}
