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
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await evaluateAlerts(deps, options);
    } catch (error) {
      deps.logger.error({ err: error }, 'alert evaluation tick failed; retrying at the next tick');
    } finally {
      running = false;
    }
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
