/**
 * A Feature's SDLC: spec → plan → implement → test → deploy → verify → done, plus failed and
 * cancelled. Illegal moves are refused with a message naming what may come next; test, deploy
 * and verify may send the work back to implement (rework), and a failed feature may be retried.
 *
 * A feature walks the phases its kind needs (its path, sdlc/sdlc-kinds.ts): a bug fix, for one,
 * starts at implement. Forward, it moves to the next phase of its path; back moves and retries
 * stay inside its path. Without a path, a feature walks every phase.
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

/** The working phases in order, ending in done: the path of a feature that needs every phase. */
export const FULL_PATH: readonly FeaturePhase[] = [
  'spec',
  'plan',
  'implement',
  'test',
  'deploy',
  'verify',
  'done',
];

const STOPS = ['failed', 'cancelled'] as const;

/** Where each phase may go next on the full path. */
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
  /** Who moved it by hand (a build's moves name no one). */
  by?: string;
}

export interface FeatureState {
  phase: FeaturePhase;
  history: FeatureTransition[];
  /** The phases this feature needs, in order, ending in done (default: every phase). */
  phases?: readonly FeaturePhase[];
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

export function newFeature(phases: readonly FeaturePhase[] = FULL_PATH): FeatureState {
  return phases === FULL_PATH ? { phase: 'spec', history: [] } : { phase: phases[0]!, history: [], phases };
}

/** Where a feature on `path` may go from `phase`: its next phase, rework inside the path, stops. */
export function allowedNext(phase: FeaturePhase, path: readonly FeaturePhase[] = FULL_PATH): FeaturePhase[] {
  const base = FEATURE_TRANSITIONS[phase];
  if (base.length === 0) return [];
  const onPath = (p: FeaturePhase) => path.includes(p) || p === 'failed' || p === 'cancelled';
  const allowed = base.filter(onPath);
  if (phase === 'failed') {
    // A retry re-enters at implement, or at the start of the path.
    const start = path[0]!;
    if (!allowed.includes(start)) allowed.splice(allowed.indexOf('cancelled'), 0, start);
    return allowed;
  }
  // Forward: the first phase of the path after this one (a phase off the path, after a change of
  // kind, moves on to the next phase its new path has).
  const at = FULL_PATH.indexOf(phase);
  const forward = path.find((p) => FULL_PATH.indexOf(p) > at);
  if (forward && !allowed.includes(forward)) allowed.unshift(forward);
  return allowed;
}

export function canTransition(
  from: FeaturePhase,
  to: FeaturePhase,
  path: readonly FeaturePhase[] = FULL_PATH,
): boolean {
  return allowedNext(from, path).includes(to);
}

export function isFinal(phase: FeaturePhase): boolean {
  return FEATURE_TRANSITIONS[phase].length === 0;
}

/** Moves a feature to `to`, returning a new state with the move recorded; refuses illegal moves. */
export function transition<F extends FeatureState>(
  feature: F,
  to: FeaturePhase,
  options: { reason?: string; at?: Date; by?: string } = {},
): F {
  const from = feature.phase;
  const path = feature.phases ?? FULL_PATH;
  if (!canTransition(from, to, path)) throw new IllegalTransitionError(from, to, allowedNext(from, path));
  const step: FeatureTransition = { from, to };
  if (options.reason) step.reason = options.reason;
  if (options.at) step.at = options.at.toISOString();
  if (options.by) step.by = options.by;
  return { ...feature, phase: to, history: [...feature.history, step] };
}
