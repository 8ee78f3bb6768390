import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AlertDeps } from './alert-deps.ts';
import { toAlertRuleView } from './alert-rule-definition.ts';
import { setAlertSilence } from './alert-store.ts';

/** The longest silence: a rule forgotten in silence should come back on its own. */
export const MAX_SILENCE_MS = 30 * 24 * 3600_000;

/**
 * Silences a rule until a time, or lifts its silence with `null` (maintainers). A silenced rule is
 * still evaluated and its history kept; nobody is notified of its transitions.
 */
export async function silenceAlertRule(
  deps: AlertDeps,
  ctx: RequestContext,
  input: { slug: string; id: string; until: string | null },
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'maintainer');
  const now = deps.clock.now();
  const until = input.until === null ? null : new Date(input.until);
  if (until && (until <= now || until.getTime() - now.getTime() > MAX_SILENCE_MS)) {
    const message = 'A silence ends in the future, at most 30 days from now.';
    throw new ValidationError(message, [{ field: 'body.until', message }]);
  }
  return withTransaction(deps.db, async (tx) => {
    const row = await setAlertSilence(tx, project.id, input.id, until, now);
    if (!row) throw new NotFoundError(`No alert rule ${input.id} in "${input.slug}".`);
    await recordAudit(tx, ctx, {
      action: until ? 'alert_rule.silence' : 'alert_rule.unsilence',
      target: { type: 'alert_rule', id: row.id },
      projectId: project.id,
      data: { environment: row.environment_name, until: until?.toISOString() ?? null },
    });
    return toAlertRuleView(row);
  });
}
