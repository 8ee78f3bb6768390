import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireEnvironment } from '../require-environment.ts';
import type { AlertDeps } from './alert-deps.ts';
import { toAlertRuleView, toRuleFields } from './alert-rule-definition.ts';
import type { AlertRuleBody } from './alert-schemas.ts';
import { insertAlertRule } from './alert-store.ts';
import { uniqueRuleName } from './unique-rule-name.ts';

/** Adds an alert rule to an environment (maintainers). */
export async function createAlertRule(
  deps: AlertDeps,
  ctx: RequestContext,
  input: { slug: string; env: string; rule: AlertRuleBody },
) {
  const { project, environment } = await requireEnvironment(deps.db, ctx.actor, input, 'maintainer');
  return withTransaction(deps.db, async (tx) => {
    const row = await uniqueRuleName(input.rule.name, () =>
      insertAlertRule(tx, {
        ...toRuleFields(input.rule),
        projectId: project.id,
        environmentId: environment.id,
        environmentName: environment.name,
        createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
        now: deps.clock.now(),
      }),
    );
    await recordAudit(tx, ctx, {
      action: 'alert_rule.create',
      target: { type: 'alert_rule', id: row.id },
      projectId: project.id,
      data: { environment: environment.name, ...input.rule },
    });
    return toAlertRuleView(row);
  });
}
