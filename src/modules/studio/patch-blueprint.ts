import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { applyBlueprintPatch, parseJsonPatch } from '../blueprint/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { commitBlueprintChange } from './commit-blueprint-change.ts';
import { referencePatchSource } from './references/reference-source.ts';

/**
 * Applies a validated JSON Patch (RFC 6902) to a Blueprint: all of it or none of it. With
 * `referenceId` the patch is a design reference's proposal: the snapshot's message names the
 * reference and the reference records the version it made.
 */
export async function patchBlueprint(
  db: Db,
  ctx: RequestContext,
  id: string,
  rawPatch: unknown,
  expectedVersion?: number,
  source: { referenceId?: string } = {},
) {
  await requireBlueprint(db, ctx.actor, id, 'developer');
  const patch = parseJsonPatch(rawPatch);
  return withTransaction(db, async (tx) => {
    const reference = source.referenceId ? await referencePatchSource(tx, id, source.referenceId) : undefined;
    const result = await commitBlueprintChange(tx, ctx, id, {
      kind: 'edit',
      expectedVersion,
      message: reference?.message,
      next: (current) => ({ document: applyBlueprintPatch(current, patch), patch }),
    });
    await reference?.applied(result.row.version);
    return result;
  });
}
