import { describe, expect, it } from 'vitest';
import type { AlertState } from './alert-schemas.ts';
import { conditionHolds, decideAlertState } from './decide-alert-state.ts';

/** Runs a rule over a sequence of holds/doesn't, returning the states it passes through. */
function run(forEvaluations: number, holds: boolean[]): AlertState[] {
  let current = { state: 'ok' as AlertState, breaches: 0, forEvaluations };
  return holds.map((h) => {
    const d = decideAlertState(current, h);
    current = { ...current, state: d.state, breaches: d.breaches };
    return d.state;
  });
}

describe('decideAlertState', () => {
  it('fires at once with for = 1, resolves when the condition stops, then goes back to ok', () => {
    expect(run(1, [true, true, false, false])).toEqual(['firing', 'firing', 'resolved', 'ok']);
  });

  it('waits in pending for `for` consecutive evaluations, and a gap starts the count again', () => {
    expect(run(3, [true, true, false, true, true, true, true])).toEqual([
      'pending',
      'pending',
      'ok',
      'pending',
      'pending',
      'firing',
      'firing',
    ]);
  });

  it('fires again from resolved when the condition returns', () => {
    expect(run(1, [true, false, true])).toEqual(['firing', 'resolved', 'firing']);
  });

  it('reports a change only when the state moves', () => {
    const d = decideAlertState({ state: 'firing', breaches: 4, forEvaluations: 1 }, true);
    expect(d).toEqual({ state: 'firing', breaches: 5, changed: false });
  });
});

describe('conditionHolds', () => {
  it('compares by the operator and never holds without a value', () => {
    expect(conditionHolds(5, '>', 5)).toBe(false);
    expect(conditionHolds(5, '>=', 5)).toBe(true);
    expect(conditionHolds(4, '<', 5)).toBe(true);
    expect(conditionHolds(null, '<', 5)).toBe(false);
  });
});
