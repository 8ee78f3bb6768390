import type { Actor } from '../../../platform/http/actor.ts';
import { requireEnvironment } from '../require-environment.ts';
import type { AlertDeps } from './alert-deps.ts';
import { toAlertRuleView } from './alert-rule-definition.ts';
import { listAlertRuleRows } from './alert-store.ts';

/** An environment's alert rules with their state, by name (viewers). */
export async function listAlertRules(deps: AlertDeps, actor: Actor, input: { slug: string; env: string }) {
  const { environment } = await requireEnvironment(deps.db, actor, input, 'viewer');
  return { items: (await listAlertRuleRows(deps.db, environment.id)).map(toAlertRuleView) };
}
