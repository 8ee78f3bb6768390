import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AlertDeps } from './alert-deps.ts';
import { toAlertRuleView } from './alert-rule-definition.ts';
import { listAlertRuleRows } from './alert-store.ts';

/** An environment's alert rules with their state, by name (viewers). */
export async function listAlertRules(deps: AlertDeps, actor: Actor, input: { slug: string; env: string }) {
  const { project } = await requireProjectRole(deps.db, actor, input.slug, 'viewer');
  const environment = await deps.findEnvironment(deps.db, project.id, input.env);
  return { items: (await listAlertRuleRows(deps.db, environment.id)).map(toAlertRuleView) };
}
