import { describe, expect, it } from 'vitest';
import { layoutDependencies, NODE_HEIGHT, NODE_WIDTH } from './dependency-layout.ts';

const f = (id: string, dependsOn: string[] = []) => ({
  id,
  title: id.toUpperCase(),
  phase: 'spec',
  dependsOn,
});

describe('layoutDependencies', () => {
  it('puts what a feature waits for to its left, by the longest chain, and draws an edge per dependency', () => {
    const { nodes, edges, width, height } = layoutDependencies([
      f('c', ['b', 'a']),
      f('b', ['a']),
      f('a'),
      f('alone'),
    ]);
    const x = Object.fromEntries(nodes.map((n) => [n.id, n.x]));
    expect(x.a).toBe(0);
    expect(x.b).toBeGreaterThan(x.a!);
    expect(x.c).toBeGreaterThan(x.b!);
    expect(nodes.map((n) => n.id)).not.toContain('alone');
    expect(edges.map((e) => `${e.from}→${e.to}`).sort()).toEqual(['b→a', 'c→a', 'c→b']);
    expect(edges.find((e) => e.from === 'b')!.d).toMatch(new RegExp(`^M${NODE_WIDTH},${NODE_HEIGHT / 2} C`));
    expect(width).toBe(x.c! + NODE_WIDTH);
    expect(height).toBe(NODE_HEIGHT);
  });

  it('stacks features of the same depth in the board’s order, and draws nothing without dependencies', () => {
    const { nodes } = layoutDependencies([f('x', ['a']), f('y', ['a']), f('a')]);
    expect(nodes.filter((n) => n.x > 0).map((n) => [n.id, n.y])).toEqual([
      ['x', 0],
      ['y', NODE_HEIGHT + 16],
    ]);
    expect(layoutDependencies([f('a'), f('b')])).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
