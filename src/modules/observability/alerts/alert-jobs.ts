import { z } from 'zod';
import { defineStep, defineWorkflow, type Registry } from '../../operations/index.ts';
import type { AlertEvaluatorDeps } from './alert-deps.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';

/** One evaluation of the due alert rules, started on a schedule (start-alert-evaluator.ts). */
export const ALERTS_EVALUATE_KIND = 'alerts.evaluate';

/** The schedule's slot the evaluation belongs to: one operation per slot, whichever process starts it. */
export const EvaluateAlertsInput = z.object({ slot: z.iso.datetime() });
export type EvaluateAlertsInput = z.infer<typeof EvaluateAlertsInput>;

/**
 * `alerts.evaluate`: a routine (its succeeded runs are pruned within the hour; a failed one stays to
 * be read) whose one step evaluates every due rule. A step that dies is retried; the rules' row
 * locks keep a rule from being evaluated twice even then.
 */
export function registerAlertJobs(
  registry: Registry,
  deps: AlertEvaluatorDeps,
  options: { intervalMs: number },
): void {
  registry.add(
    defineWorkflow(
      ALERTS_EVALUATE_KIND,
      EvaluateAlertsInput,
      (input) => [{ key: 'evaluate', step: 'alerts.evaluate', input }],
      { routine: true },
    ),
    defineStep<EvaluateAlertsInput>('alerts.evaluate', {
      retry: { maxAttempts: 3, baseMs: 1_000, maxMs: 10_000 },
      timeoutMs: Math.max(5 * options.intervalMs, 60_000),
      handler: async (ctx) => {
        const { evaluated, notified } = await evaluateAlerts(deps, options);
        const fired = notified.filter((t) => t.state === 'firing').length;
        const resolved = notified.length - fired;
        ctx.log(`evaluated ${evaluated} alert rules: ${fired} fired, ${resolved} resolved`);
        return { evaluated, fired, resolved };
      },
    }),
  );
}
