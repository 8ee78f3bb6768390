import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { diffBlueprints } from '../blueprint/index.ts';
import { requireBlueprint } from './blueprint-access.ts';
import type { DiffQuery } from './schemas.ts';
import { findSnapshot } from './store.ts';

/** The JSON Patch from one version of a Blueprint to another (viewers). */
export async function diffSnapshots(db: Queryable, actor: Actor, blueprintId: string, query: DiffQuery) {
  await requireBlueprint(db, actor, blueprintId, 'viewer');
  const [a, b] = await Promise.all([
    findSnapshot(db, blueprintId, query.from),
    findSnapshot(db, blueprintId, query.to),
  ]);
  if (!a || !b) throw new NotFoundError(`No version ${!a ? query.from : query.to} of this Blueprint.`);
  return { from: a.version, to: b.version, patch: diffBlueprints(a.document, b.document) };
}
