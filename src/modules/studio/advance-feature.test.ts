import { describe, expect, it } from 'vitest';
import { pathTo } from './advance-feature.ts';
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
