import type { Clock } from '../../platform/clock.ts';
import { type Db, type Queryable, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import {
  allowedNext,
  canTransition,
  type FeaturePhase,
  type FeatureState,
  FULL_PATH,
  IllegalTransitionError,
  isFinal,
  transition,
} from './feature-machine.ts';
import { type FeatureRow, findFeature, updateFeature } from './feature-store.ts';

/** Whether a feature's path (the phases its kind needs) has `phase`: a bug fix has no spec. */
export function needsPhase(feature: FeatureState, phase: FeaturePhase): boolean {
  return (feature.phases ?? FULL_PATH).includes(phase);
}

/** `phase` when the feature's path has it, else the path's next phase after it. */
export function phaseOnPath(feature: FeatureState, phase: FeaturePhase): FeaturePhase {
  const path = feature.phases ?? FULL_PATH;
  if (path.includes(phase) || !FULL_PATH.includes(phase)) return phase;
  return path.find((p) => FULL_PATH.indexOf(p) > FULL_PATH.indexOf(phase)) ?? 'done';
}

/**
 * The moves that bring a feature from where it is to `target` along its path, each one checked by
 * the state machine. A failed feature that is retried re-enters at `implement` (or at the start of
 * its path for the phases before implement). Refuses what the machine refuses (e.g. leaving `done`).
 */
export function pathTo<F extends FeatureState>(
  feature: F,
  target: FeaturePhase,
  options: { reason?: string; at?: Date } = {},
): F {
  let state = feature;
  if (state.phase === target) return state;
  const path = state.phases ?? FULL_PATH;
  const order = (p: FeaturePhase) => FULL_PATH.indexOf(p);
  if (state.phase === 'failed' && FULL_PATH.includes(target)) {
    const reentry = order(target) < order('implement') ? path[0]! : 'implement';
    state = transition(state, reentry, { reason: 'retried', at: options.at });
  }
  while (state.phase !== target) {
    if (canTransition(state.phase, target, path)) return transition(state, target, options);
    const next = path.find((p) => order(p) > order(state.phase));
    if (!next || !FULL_PATH.includes(target) || order(next) > order(target)) {
      throw new IllegalTransitionError(state.phase, target, allowedNext(state.phase, path));
    }
    state = transition(state, next, { at: options.at });
  }
  return state;
}

/** Moves a stored feature to `target` (under a row lock); a feature already there is left alone. */
export async function advanceFeature(
  db: Db,
  clock: Clock,
  featureId: string,
  target: FeaturePhase,
  reason?: string,
): Promise<FeatureRow> {
  return withTransaction(db, (tx) => advanceFeatureIn(tx, clock.now(), featureId, target, reason));
}

/** `advanceFeature` inside the caller's transaction. */
export async function advanceFeatureIn(
  tx: Queryable,
  now: Date,
  featureId: string,
  target: FeaturePhase,
  reason?: string,
): Promise<FeatureRow> {
  const row = await findFeature(tx, featureId, true);
  if (!row) throw new NotFoundError(`No feature ${featureId}.`);
  if (row.phase === target) return row;
  const next = pathTo(row, target, { reason, at: now });
  return updateFeature(tx, featureId, { phase: next.phase, history: next.history });
}

/** Ends a feature as failed or cancelled unless it already ended; never throws for a final feature. */
export async function stopFeature(
  db: Db,
  clock: Clock,
  featureId: string,
  to: 'failed' | 'cancelled',
  reason: string,
) {
  return withTransaction(db, (tx) => stopFeatureIn(tx, clock.now(), featureId, to, reason));
}

/** `stopFeature` inside the caller's transaction. */
export async function stopFeatureIn(
  tx: Queryable,
  now: Date,
  featureId: string,
  to: 'failed' | 'cancelled',
  reason: string,
) {
  const row = await findFeature(tx, featureId, true);
  if (!row || isFinal(row.phase) || row.phase === to || !canTransition(row.phase, to, row.phases)) return row;
  const next = transition(row, to, { reason: reason.slice(0, 500), at: now });
  return updateFeature(tx, featureId, { phase: next.phase, history: next.history });
}
