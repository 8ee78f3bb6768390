import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { startTicker } from '../../../platform/ticker.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import { ALERTS_EVALUATE_KIND } from './alert-jobs.ts';
import { anyAlertRuleDue, dueBefore } from './alert-store.ts';

/**
 * Starts the scheduled `alerts.evaluate` operation every `intervalMs` (config
 * `alerts.evaluateIntervalMs`) while some rule is due. Every process that runs workers ticks; the
 * slot's idempotency key makes one operation per interval across them all, and no rule, no
 * operation.
 */
export function startAlertEvaluator(
  deps: { db: Db; clock: Clock; logger: Logger; registry: Registry },
  options: { intervalMs: number },
): { stop(): Promise<void> } {
  return startTicker(
    async () => {
      const now = deps.clock.now();
      if (!(await anyAlertRuleDue(deps.db, dueBefore(now, options.intervalMs)))) return;
      const slot = new Date(
        Math.floor(now.getTime() / options.intervalMs) * options.intervalMs,
      ).toISOString();
      await startOperation(deps.db, deps.registry, {
        kind: ALERTS_EVALUATE_KIND,
        input: { slot },
        idempotencyKey: slot,
        clock: deps.clock,
      });
    },
    {
      intervalMs: options.intervalMs,
      logger: deps.logger,
      failure: 'could not start the alert evaluation; retrying at the next tick',
      level: 'error',
    },
  );
}
