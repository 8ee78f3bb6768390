import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { LlmGateway } from '../llm/index.ts';
import { ARCHITECT_ALIAS } from './architect/architect-llm.ts';
import { requireBlueprint } from './blueprint-access.ts';
import { findProjectBlueprint } from './find-project-blueprint.ts';
import type { BlueprintView } from './schemas.ts';
import type { BlueprintRow } from './store.ts';
import { toBlueprintView } from './views.ts';

type Deps = { db: Queryable; llm: Pick<LlmGateway, 'isConfigured'> };

/** A Blueprint's view with who answers its chat now: the LLM Architect only when its mode allows and a provider serves it. */
async function toAnsweredBlueprintView(
  llm: Pick<LlmGateway, 'isConfigured'>,
  row: BlueprintRow,
): Promise<BlueprintView> {
  const answers: 'llm' | 'rules' =
    row.architect_mode !== 'rules' && (await llm.isConfigured({ alias: ARCHITECT_ALIAS })) ? 'llm' : 'rules';
  return { ...toBlueprintView(row), architectAnswers: answers };
}

/** One Blueprint (viewers of its project). */
export async function getBlueprint(deps: Deps, actor: Actor, id: string): Promise<BlueprintView> {
  const { blueprint } = await requireBlueprint(deps.db, actor, id, 'viewer');
  return toAnsweredBlueprintView(deps.llm, blueprint);
}

/** A project's current Blueprint, or its Blueprint `id` (viewers). */
export async function getProjectBlueprint(
  deps: Deps,
  actor: Actor,
  slug: string,
  id?: string,
): Promise<BlueprintView> {
  const { blueprint } = await findProjectBlueprint(deps.db, actor, slug, id);
  return toAnsweredBlueprintView(deps.llm, blueprint);
}
