/**
 * A Feature's SDLC: spec → plan → implement → test → deploy → verify → done, plus failed and
 * cancelled. Illegal moves are refused with a message naming what may come next; test, deploy
 * and verify may send the work back to implement (rework), and a failed feature may be retried.
 */
import { DomainError } from '../../platform/errors.ts';

export const FEATURE_PHASES = [
  'spec',
  'plan',
  'implement',
  'test',
  'deploy',
  'verify',
  'done',
  'failed',
  'cancelled',
] as const;
export type FeaturePhase = (typeof FEATURE_PHASES)[number];

const STOPS = ['failed', 'cancelled'] as const;

/** Where each phase may go next. */
export const FEATURE_TRANSITIONS: Readonly<Record<FeaturePhase, readonly FeaturePhase[]>> = {
  spec: ['plan', ...STOPS],
  plan: ['implement', 'spec', ...STOPS],
  implement: ['test', ...STOPS],
  test: ['deploy', 'implement', ...STOPS],
  deploy: ['verify', 'implement', ...STOPS],
  verify: ['done', 'implement', ...STOPS],
  done: [],
  failed: ['implement', 'spec', 'cancelled'],
  cancelled: [],
};

export interface FeatureTransition {
  from: FeaturePhase;
  to: FeaturePhase;
  reason?: string;
  /** ISO time, when the caller passes one (time is injected, never read here). */
  at?: string;
}

export interface FeatureState {
  phase: FeaturePhase;
  history: FeatureTransition[];
}

export class IllegalTransitionError extends DomainError {
  readonly code = 'illegal_transition';
  readonly status = 409;
  constructor(
    readonly from: FeaturePhase,
    readonly to: FeaturePhase,
    readonly allowed: readonly FeaturePhase[],
  ) {
    const next = allowed.length ? `allowed next: ${allowed.join(', ')}` : `${from} is final`;
    super(`A feature in ${from} cannot move to ${to}; ${next}`, { from, to, allowed: [...allowed] });
  }
}

export function newFeature(): FeatureState {
  return { phase: 'spec', history: [] };
}

export function allowedNext(phase: FeaturePhase): readonly FeaturePhase[] {
  return FEATURE_TRANSITIONS[phase];
}

export function canTransition(from: FeaturePhase, to: FeaturePhase): boolean {
  return FEATURE_TRANSITIONS[from].includes(to);
}

export function isFinal(phase: FeaturePhase): boolean {
  return FEATURE_TRANSITIONS[phase].length === 0;
}

/** Moves a feature to `to`, returning a new state with the move recorded; refuses illegal moves. */
export function transition<F extends FeatureState>(
  feature: F,
  to: FeaturePhase,
  options: { reason?: string; at?: Date } = {},
): F {
  const from = feature.phase;
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, allowedNext(from));
  const step: FeatureTransition = { from, to };
  if (options.reason) step.reason = options.reason;
  if (options.at) step.at = options.at.toISOString();
  return { ...feature, phase: to, history: [...feature.history, step] };
}
