import { describe, expect, it } from 'vitest';
import { needsPhase, pathTo, phaseOnPath } from './advance-feature.ts';
import { IllegalTransitionError, newFeature, transition } from './feature-machine.ts';

describe('pathTo: a build moving its feature along the SDLC', () => {
  it('walks the path one legal move at a time, and stays put when already there', () => {
    const at = pathTo(newFeature(), 'test');
    expect(at.phase).toBe('test');
    expect(at.history.map((m) => m.to)).toEqual(['plan', 'implement', 'test']);
    expect(pathTo(at, 'test')).toBe(at);
  });

  it('re-enters a failed feature at implement (or spec for the first phases) when its build is retried', () => {
    const failed = transition(pathTo(newFeature(), 'test'), 'failed');
    expect(
      pathTo(failed, 'deploy')
        .history.slice(-3)
        .map((m) => [m.from, m.to]),
    ).toEqual([
      ['failed', 'implement'],
      ['implement', 'test'],
      ['test', 'deploy'],
    ]);
    expect(
      pathTo(failed, 'plan')
        .history.slice(-2)
        .map((m) => m.to),
    ).toEqual(['spec', 'plan']);
  });

  it('refuses what the state machine refuses: going back, or leaving done', () => {
    const done = pathTo(newFeature(), 'done');
    expect(() => pathTo(done, 'verify')).toThrow(IllegalTransitionError);
    expect(() => pathTo(pathTo(newFeature(), 'deploy'), 'plan')).toThrow(/cannot move to plan/);
  });
});

describe('pathTo on the path of a kind', () => {
  it('walks a bug fix from implement, and retries it at implement', () => {
    const bug = newFeature(['implement', 'test', 'deploy', 'verify', 'done']);
    const verified = pathTo(bug, 'verify');
    expect(verified.history.map((m) => m.to)).toEqual(['test', 'deploy', 'verify']);
    const failed = transition(pathTo(bug, 'test'), 'failed');
    expect(
      pathTo(failed, 'test')
        .history.slice(-2)
        .map((m) => m.to),
    ).toEqual(['implement', 'test']);
  });

  it('retries a chore that failed before implement at plan, the start of its path', () => {
    const chore = newFeature(['plan', 'implement', 'test', 'deploy', 'verify', 'done']);
    const failed = transition(chore, 'failed');
    expect(phaseOnPath(failed, 'spec')).toBe('plan');
    expect(pathTo(failed, 'plan').history.at(-1)).toMatchObject({
      from: 'failed',
      to: 'plan',
      reason: 'retried',
    });
  });

  it('knows which phases a kind needs', () => {
    const bug = newFeature(['implement', 'test', 'deploy', 'verify', 'done']);
    expect(needsPhase(bug, 'spec')).toBe(false);
    expect(needsPhase(bug, 'implement')).toBe(true);
    expect(needsPhase(newFeature(), 'plan')).toBe(true);
    expect(phaseOnPath(bug, 'plan')).toBe('implement');
  });
});
