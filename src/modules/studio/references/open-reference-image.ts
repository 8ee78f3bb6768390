import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { findReference } from './reference-store.ts';

/** A reference's image (the screenshot or upload) or its thumbnail, for those who may see the Blueprint. */
export async function openReferenceImage(
  deps: { db: Queryable; blobs: BlobStore },
  actor: Actor,
  blueprintId: string,
  referenceId: string,
  which: 'image' | 'thumbnail',
): Promise<{ stream: Readable; size: number; contentType: string }> {
  await requireBlueprint(deps.db, actor, blueprintId, 'viewer');
  const reference = await findReference(deps.db, blueprintId, referenceId);
  if (!reference) throw new NotFoundError(`No design reference ${referenceId} on Blueprint ${blueprintId}.`);
  const key = which === 'image' ? reference.image_key : reference.thumbnail_key;
  const blob = await deps.blobs.get(key);
  if (!blob) throw new NotFoundError(`The ${which} of design reference ${referenceId} is no longer stored.`);
  return { ...blob, contentType: which === 'image' ? reference.image_type : 'image/webp' };
}
