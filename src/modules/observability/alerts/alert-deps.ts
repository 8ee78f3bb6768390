import type { Clock } from '../../../platform/clock.ts';
import type { Db, DbClient } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { AlertRuleView } from './alert-schemas.ts';

/** A rule that started firing or was resolved (not while it is silenced). */
export interface AlertTransition {
  rule: AlertRuleView;
  state: 'firing' | 'resolved';
  /** The value the evaluation observed (null: no data in the window). */
  value: number | null;
  environment: { id: string; name: string };
  project: { id: string; slug: string };
}

/**
 * Told inside the transaction that records the transition (what it writes commits with it); a
 * listener that throws is logged and its writes undone, and the evaluation stands.
 */
export type AlertListener = (tx: DbClient, transition: AlertTransition) => Promise<void> | void;

/** What the evaluator needs; the composition root gives the listeners (notifications). */
export interface AlertEvaluatorDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  onAlertTransition: readonly AlertListener[];
}

/** What the alert routes and use cases need. */
export interface AlertDeps {
  db: Db;
  clock: Clock;
}
