import { startTicker } from '../../../platform/ticker.ts';
import type { AlertEvaluatorDeps } from './alert-deps.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';

/**
 * Evaluates the due alert rules every `intervalMs` (config `alerts.evaluateIntervalMs`) until
 * stopped. Every process that runs workers ticks; the rules' row locks make each evaluation happen
 * once across them (evaluate-alerts.ts).
 */
export function startAlertEvaluator(
  deps: AlertEvaluatorDeps,
  options: { intervalMs: number },
): { stop(): void } {
  return startTicker(() => evaluateAlerts(deps, options).then(() => undefined), {
    intervalMs: options.intervalMs,
    logger: deps.logger,
    failure: 'alert evaluation tick failed; retrying at the next tick',
    level: 'error',
  });
}
