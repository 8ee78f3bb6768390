import { describe, expect, it } from 'vitest';
import { dependencyCycle } from './dependency-cycle.ts';

describe('dependencyCycle', () => {
  const edges = [
    { from: 'b', to: 'c' },
    { from: 'c', to: 'd' },
    { from: 'e', to: 'a' },
  ];

  it('finds the cycle a new dependency would close, as the way round', () => {
    expect(dependencyCycle([...edges, { from: 'd', to: 'a' }], 'a', ['b'])).toEqual([
      'a',
      'b',
      'c',
      'd',
      'a',
    ]);
    expect(dependencyCycle(edges, 'a', ['a'])).toEqual(['a', 'a']);
  });

  it('allows what closes no cycle, and replaces the feature’s own earlier edges', () => {
    expect(dependencyCycle(edges, 'a', ['b', 'c'])).toBeNull();
    expect(dependencyCycle(edges, 'e', ['b'])).toBeNull();
    // d waited for a before; the new list (nothing) is what counts.
    expect(dependencyCycle([...edges, { from: 'a', to: 'b' }], 'd', [])).toBeNull();
    expect(dependencyCycle([...edges, { from: 'a', to: 'b' }], 'd', ['a'])).toEqual([
      'd',
      'a',
      'b',
      'c',
      'd',
    ]);
  });
});
