import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AlertDeps } from './alert-deps.ts';
import { deleteAlertRuleRow } from './alert-store.ts';

/** Removes an alert rule and its history (maintainers). A firing rule goes without a "resolved". */
export async function deleteAlertRule(
  deps: AlertDeps,
  ctx: RequestContext,
  input: { slug: string; id: string },
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'maintainer');
  await withTransaction(deps.db, async (tx) => {
    if (!(await deleteAlertRuleRow(tx, project.id, input.id)))
      throw new NotFoundError(`No alert rule ${input.id} in "${input.slug}".`);
    await recordAudit(tx, ctx, {
      action: 'alert_rule.delete',
      target: { type: 'alert_rule', id: input.id },
      projectId: project.id,
    });
  });
}
