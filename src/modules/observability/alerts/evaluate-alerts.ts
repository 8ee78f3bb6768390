import { type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { findProjectSlugs } from '../../projects/index.ts';
import type { AlertEvaluatorDeps, AlertTransition } from './alert-deps.ts';
import { ruleDefinition, toAlertRuleView } from './alert-rule-definition.ts';
import {
  type AlertRuleRow,
  claimDueAlertRule,
  dueBefore,
  insertAlertEvent,
  recordAlertEvaluation,
} from './alert-store.ts';
import { conditionHolds, decideAlertState } from './decide-alert-state.ts';
import { measureAlertRule } from './measure-alert-rule.ts';

export interface EvaluateOptions {
  /** The evaluation interval: a rule evaluated less than ~this long ago is not due yet. */
  intervalMs: number;
  /** Rules per tick, so one tick never runs away. */
  maxRules?: number;
}

/**
 * Evaluates every enabled rule that is due, each in a transaction of its own that holds the rule's
 * row (FOR UPDATE SKIP LOCKED): any number of evaluators may run at once and each due rule is
 * evaluated by exactly one of them. The new state, its history row and the value observed commit
 * together with what listeners write on a change to firing or resolved (unless the rule is
 * silenced). Returns how many rules were evaluated and the transitions told to listeners.
 */
export async function evaluateAlerts(
  deps: AlertEvaluatorDeps,
  options: EvaluateOptions,
): Promise<{ evaluated: number; notified: AlertTransition[] }> {
  const now = deps.clock.now();
  const due = dueBefore(now, options.intervalMs);
  const notified: AlertTransition[] = [];
  let evaluated = 0;
  for (; evaluated < (options.maxRules ?? 1000); evaluated++) {
    const outcome = await withTransaction(deps.db, async (tx) => {
      const rule = await claimDueAlertRule(tx, due);
      if (!rule) return undefined;
      let value: number | null = null;
      let holds = false;
      let error: string | null = null;
      await tx.query('SAVEPOINT measure');
      try {
        const measured = await measureAlertRule(tx, ruleDefinition(rule), rule.environment_id, now);
        value = measured.value;
        holds = conditionHolds(value, measured.operator, rule.threshold);
        await tx.query('RELEASE SAVEPOINT measure');
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT measure');
        deps.logger.warn({ err, rule: rule.id }, 'an alert rule could not be measured; its state stays');
        error = 'The telemetry could not be read for this rule; it keeps its state until it can.';
      }
      const decision = error
        ? { state: rule.state, breaches: rule.breaches, changed: false }
        : decideAlertState({ ...rule, forEvaluations: rule.for_evaluations }, holds);
      const silenced = rule.silenced_until !== null && rule.silenced_until > now;
      const updated = await recordAlertEvaluation(tx, rule.id, {
        state: decision.state,
        stateSince: decision.changed ? now : rule.state_since,
        breaches: decision.breaches,
        value,
        error,
        at: now,
      });
      if (decision.changed)
        await insertAlertEvent(tx, {
          ruleId: rule.id,
          projectId: rule.project_id,
          from: rule.state,
          to: decision.state,
          value,
          silenced,
          at: now,
        });
      // Listeners (notifications) write in this transaction: a transition and what it tells commit
      // together, so none is lost to a crash between them.
      if (decision.changed && !silenced && (updated.state === 'firing' || updated.state === 'resolved')) {
        const transition = await transitionOf(tx, updated, updated.state, value);
        await tell(deps, tx, transition);
        return transition;
      }
      return null;
    });
    if (outcome === undefined) break;
    if (outcome) notified.push(outcome);
  }
  return { evaluated, notified };
}

async function transitionOf(
  tx: Queryable,
  rule: AlertRuleRow,
  state: 'firing' | 'resolved',
  value: number | null,
): Promise<AlertTransition> {
  const slugs = await findProjectSlugs(tx, [rule.project_id]);
  return {
    rule: toAlertRuleView(rule),
    state,
    value,
    environment: { id: rule.environment_id, name: rule.environment_name },
    project: { id: rule.project_id, slug: slugs.get(rule.project_id) ?? '' },
  };
}

/** Each listener under a savepoint: one that fails is logged and undone, the evaluation stays. */
async function tell(deps: AlertEvaluatorDeps, tx: DbClient, transition: AlertTransition) {
  for (const listener of deps.onAlertTransition) {
    await tx.query('SAVEPOINT alert_listener');
    try {
      await listener(tx, transition);
      await tx.query('RELEASE SAVEPOINT alert_listener');
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT alert_listener');
      deps.logger.error(
        { err, rule: transition.rule.id, state: transition.state },
        'an alert listener failed',
      );
    }
  }
}
