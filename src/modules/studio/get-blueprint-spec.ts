import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { renderSpec } from '../agents/index.ts';
import { findProjectBlueprint } from './find-project-blueprint.ts';

/**
 * The spec of a project's current Blueprint (or of Blueprint `id`): the Markdown a build writes as
 * `docs/spec.md` and hands to the coding agent (viewers).
 */
export async function getBlueprintSpec(db: Queryable, actor: Actor, slug: string, id?: string) {
  const { blueprint } = await findProjectBlueprint(db, actor, slug, id);
  return { blueprintId: blueprint.id, version: blueprint.version, markdown: renderSpec(blueprint.document) };
}
