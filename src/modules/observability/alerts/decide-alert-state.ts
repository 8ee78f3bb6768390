import type { AlertState } from './alert-schemas.ts';

export type Operator = '>' | '<' | '>=';

export interface AlertDecision {
  state: AlertState;
  breaches: number;
  /** Whether the state changed (a history row); listeners hear only changes to firing or resolved. */
  changed: boolean;
}

/** Whether a measured value meets the rule's condition; no value (no data) never does. */
export function conditionHolds(value: number | null, operator: Operator, threshold: number): boolean {
  if (value === null || Number.isNaN(value)) return false;
  if (operator === '>') return value > threshold;
  if (operator === '<') return value < threshold;
  return value >= threshold;
}

/**
 * The next state of a rule. While the condition holds the rule counts consecutive evaluations:
 * pending until it has held `forEvaluations` times, then firing. When it stops holding, a firing
 * rule is resolved; anything else (pending, resolved, ok) goes back to ok.
 */
export function decideAlertState(
  current: { state: AlertState; breaches: number; forEvaluations: number },
  holds: boolean,
): AlertDecision {
  let next: AlertState;
  let breaches = 0;
  if (holds) {
    breaches = current.breaches + 1;
    next = current.state === 'firing' || breaches >= current.forEvaluations ? 'firing' : 'pending';
  } else {
    next = current.state === 'firing' ? 'resolved' : 'ok';
  }
  return { state: next, breaches, changed: next !== current.state };
}
