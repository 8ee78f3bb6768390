import { describe, expect, it } from 'vitest';
import { applyBlueprintPatch, applyJsonPatch } from './apply-patch.ts';
import { emptyBlueprint } from './blueprint-schema.ts';
import { diffBlueprints, diffJson } from './diff-blueprints.ts';

/** A small deterministic PRNG (mulberry32) so the random cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomJson(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 4 : 6));
  const keys = ['a', 'b', 'c', 'd/e', 'f~g'];
  switch (pick) {
    case 0:
      return Math.floor(rand() * 4);
    case 1:
      return ['x', 'y', null, true][Math.floor(rand() * 4)];
    case 2:
    case 3:
      return rand() < 0.5 ? 'x' : 1;
    case 4:
      return Array.from({ length: Math.floor(rand() * 5) }, () => randomJson(rand, depth + 1));
    default:
      return Object.fromEntries(keys.filter(() => rand() < 0.5).map((k) => [k, randomJson(rand, depth + 1)]));
  }
}

describe('diffJson', () => {
  it('produces a patch that turns a into b, for many random documents', () => {
    const rand = prng(42);
    for (let i = 0; i < 2000; i++) {
      const a = randomJson(rand, 0);
      const b = rand() < 0.3 ? a : randomJson(rand, 0);
      expect(applyJsonPatch(a, diffJson(a, b))).toEqual(b);
    }
  });

  it('describes single insertions and removals anywhere in an array as one operation', () => {
    expect(diffJson({ xs: [1, 2, 3, 4] }, { xs: [1, 3, 4] })).toEqual([{ op: 'remove', path: '/xs/1' }]);
    expect(diffJson({ xs: [1, 3] }, { xs: [1, 2, 3] })).toEqual([{ op: 'add', path: '/xs/1', value: 2 }]);
    expect(diffJson([{ n: 'a' }, { n: 'b' }], [{ n: 'a' }, { n: 'c' }])).toEqual([
      { op: 'replace', path: '/1/n', value: 'c' },
    ]);
    expect(diffJson({ a: 1 }, { a: 1 })).toEqual([]);
    expect(diffJson({ 'a/b': 1 }, {})).toEqual([{ op: 'remove', path: '/a~1b' }]);
  });
});

describe('diffBlueprints', () => {
  it('diffs two snapshots into a patch that applies cleanly', () => {
    const a = emptyBlueprint('Gallery');
    const b = applyBlueprintPatch(a, [
      { op: 'replace', path: '/summary', value: 'Photos' },
      { op: 'add', path: '/sections/dataModel/entities/-', value: { name: 'Photo' } },
      { op: 'add', path: '/sections/designSystem/tokens/colors/primary', value: '#123456' },
    ]);
    const patch = diffBlueprints(a, b);
    expect(patch).toEqual([
      { op: 'replace', path: '/summary', value: 'Photos' },
      {
        op: 'add',
        path: '/sections/dataModel/entities/0',
        value: { name: 'Photo', fields: [], relations: [] },
      },
      { op: 'add', path: '/sections/designSystem/tokens/colors/primary', value: '#123456' },
    ]);
    expect(applyBlueprintPatch(a, patch)).toEqual(b);
    expect(applyBlueprintPatch(b, diffBlueprints(b, a))).toEqual(a);
  });
});
