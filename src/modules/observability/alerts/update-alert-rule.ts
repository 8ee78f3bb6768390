import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AlertDeps } from './alert-deps.ts';
import { toAlertRuleView, toRuleFields } from './alert-rule-definition.ts';
import type { AlertRuleBody } from './alert-schemas.ts';
import { updateAlertRuleRow } from './alert-store.ts';
import { uniqueRuleName } from './unique-rule-name.ts';

/**
 * Replaces a rule's definition (maintainers). Its state and history stay: the next evaluation
 * judges the new condition (a firing rule that no longer holds is resolved then, and notified).
 */
export async function updateAlertRule(
  deps: AlertDeps,
  ctx: RequestContext,
  input: { slug: string; id: string; rule: AlertRuleBody },
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'maintainer');
  return withTransaction(deps.db, async (tx) => {
    const row = await uniqueRuleName(input.rule.name, () =>
      updateAlertRuleRow(tx, project.id, input.id, { ...toRuleFields(input.rule), now: deps.clock.now() }),
    );
    if (!row) throw new NotFoundError(`No alert rule ${input.id} in "${input.slug}".`);
    await recordAudit(tx, ctx, {
      action: 'alert_rule.update',
      target: { type: 'alert_rule', id: row.id },
      projectId: project.id,
      data: { environment: row.environment_name, ...input.rule },
    });
    return toAlertRuleView(row);
  });
}
