import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { findReference, markReferenceApplied } from './reference-store.ts';

/** A Blueprint edit that applies a design reference's proposal: the history names the reference. */
export interface ReferencePatchSource {
  referenceId: string;
  /** The snapshot's message: where the tokens came from. */
  message: string;
  /** Records on the reference the version its patch made (in the edit's transaction). */
  applied(version: number): Promise<void>;
}

export async function referencePatchSource(
  db: Queryable,
  blueprintId: string,
  referenceId: string,
): Promise<ReferencePatchSource> {
  const reference = await findReference(db, blueprintId, referenceId);
  if (!reference) {
    throw new ValidationError(
      `No design reference ${referenceId} on this Blueprint; pass the id of one of its references (GET /api/blueprints/${blueprintId}/references).`,
      [{ field: 'querystring.reference', message: 'is not a design reference of this Blueprint' }],
    );
  }
  return {
    referenceId,
    message: reference.url
      ? `Design tokens from the reference ${reference.url} (reference ${referenceId})`
      : `Design tokens from an uploaded image (reference ${referenceId})`,
    applied: (version) => markReferenceApplied(db, referenceId, version),
  };
}
