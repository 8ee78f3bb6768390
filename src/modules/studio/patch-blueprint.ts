import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { applyBlueprintPatch, parseJsonPatch } from '../blueprint/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { commitBlueprintChange } from './commit-blueprint-change.ts';

/** Applies a validated JSON Patch (RFC 6902) to a Blueprint: all of it or none of it. */
export async function patchBlueprint(
  db: Db,
  ctx: RequestContext,
  id: string,
  rawPatch: unknown,
  expectedVersion?: number,
) {
  await requireBlueprint(db, ctx.actor, id, 'developer');
  const patch = parseJsonPatch(rawPatch);
  return withTransaction(db, (tx) =>
    commitBlueprintChange(tx, ctx, id, {
      kind: 'edit',
      expectedVersion,
      next: (current) => ({ document: applyBlueprintPatch(current, patch), patch }),
    }),
  );
}
