import { describe, expect, it } from 'vitest';
import {
  allowedNext,
  FEATURE_PHASES,
  type FeaturePhase,
  IllegalTransitionError,
  isFinal,
  newFeature,
  transition,
} from './feature-machine.ts';

function walk(...phases: FeaturePhase[]) {
  return phases.reduce((feature, phase) => transition(feature, phase), newFeature());
}

describe('feature state machine', () => {
  it('goes spec → plan → implement → test → deploy → verify → done and records each move', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    const done = ['plan', 'implement', 'test', 'deploy', 'verify', 'done'].reduce(
      (f, phase) => transition(f, phase as FeaturePhase, { at, reason: `to ${phase}` }),
      newFeature(),
    );
    expect(done.phase).toBe('done');
    expect(done.history.map((h) => `${h.from}→${h.to}`)).toEqual([
      'spec→plan',
      'plan→implement',
      'implement→test',
      'test→deploy',
      'deploy→verify',
      'verify→done',
    ]);
    expect(done.history[0]).toEqual({
      from: 'spec',
      to: 'plan',
      reason: 'to plan',
      at: '2025-01-01T00:00:00.000Z',
    });
    expect(isFinal('done')).toBe(true);
  });

  it('refuses to finish before verify passed, saying what may come next', () => {
    const deployed = walk('plan', 'implement', 'test', 'deploy');
    let error: unknown;
    try {
      transition(deployed, 'done');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IllegalTransitionError);
    const illegal = error as IllegalTransitionError;
    expect(illegal.message).toBe(
      'A feature in deploy cannot move to done; allowed next: verify, implement, failed, cancelled',
    );
    expect(illegal.status).toBe(409);
    expect(illegal.code).toBe('illegal_transition');
    expect(illegal.extra).toEqual({
      from: 'deploy',
      to: 'done',
      allowed: ['verify', 'implement', 'failed', 'cancelled'],
    });
  });

  it('refuses skipping phases and leaving final phases', () => {
    expect(() => transition(newFeature(), 'implement')).toThrow(
      'A feature in spec cannot move to implement; allowed next: plan',
    );
    expect(() => walk('plan', 'implement', 'deploy')).toThrow(/in implement cannot move to deploy/);
    expect(() => transition(walk('cancelled'), 'spec')).toThrow(
      'A feature in cancelled cannot move to spec; cancelled is final',
    );
    expect(() =>
      transition(walk('plan', 'implement', 'test', 'deploy', 'verify', 'done'), 'implement'),
    ).toThrow(/done is final/);
  });

  it('sends failed tests and verification back to implement for rework, and retries a failure', () => {
    const reworked = walk('plan', 'implement', 'test', 'implement', 'test', 'deploy', 'verify', 'implement');
    expect(reworked.phase).toBe('implement');
    const retried = walk('plan', 'implement', 'failed', 'implement');
    expect(retried.phase).toBe('implement');
  });

  it('can fail or be cancelled from every working phase', () => {
    for (const phase of FEATURE_PHASES) {
      if (isFinal(phase) || phase === 'failed') continue;
      expect(allowedNext(phase), phase).toEqual(expect.arrayContaining(['failed', 'cancelled']));
    }
  });

  it('returns a new state and leaves the old one alone', () => {
    const start = newFeature();
    const next = transition(start, 'plan');
    expect(start).toEqual({ phase: 'spec', history: [] });
    expect(next).not.toBe(start);
  });
});

describe('a feature on the path of its kind', () => {
  const bugfix = ['implement', 'test', 'deploy', 'verify', 'done'] as const;
  const chore = ['plan', 'implement', 'test', 'deploy', 'verify', 'done'] as const;
  const change = ['spec', 'implement', 'test', 'deploy', 'verify', 'done'] as const;

  it('starts where its path starts and moves forward along it only', () => {
    const bug = newFeature(bugfix);
    expect(bug).toEqual({ phase: 'implement', history: [], phases: bugfix });
    expect(allowedNext('implement', bugfix)).toEqual(['test', 'failed', 'cancelled']);
    const amended = transition(newFeature(change), 'implement');
    expect(amended.history).toEqual([{ from: 'spec', to: 'implement' }]);
    expect(() => transition(newFeature(change), 'plan')).toThrow(
      'A feature in spec cannot move to plan; allowed next: implement, failed, cancelled',
    );
  });

  it('keeps rework and retries inside its path', () => {
    expect(allowedNext('plan', chore)).toEqual(['implement', 'failed', 'cancelled']);
    expect(allowedNext('failed', chore)).toEqual(['implement', 'plan', 'cancelled']);
    expect(allowedNext('failed', bugfix)).toEqual(['implement', 'cancelled']);
    expect(allowedNext('verify', bugfix)).toEqual(['done', 'implement', 'failed', 'cancelled']);
  });

  it('moves a feature left off its path (its kind changed) on to the next phase its path has', () => {
    expect(allowedNext('spec', bugfix)).toEqual(['implement', 'failed', 'cancelled']);
    expect(allowedNext('plan', bugfix)).toEqual(['implement', 'failed', 'cancelled']);
  });
});
