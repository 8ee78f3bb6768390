import { describe, expect, it } from 'vitest';
import { isReadyToBuild, parseBlueprint } from '../src/modules/blueprint/index.ts';
import { causeOf } from './build-case.ts';
import { corpusBlueprints, longestName, requiredTraits } from './corpus-blueprints.ts';

describe('the build corpus', () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(corpusBlueprints(30, 7)).toEqual(corpusBlueprints(30, 7));
    expect(corpusBlueprints(30, 8)).not.toEqual(corpusBlueprints(30, 7));
  });

  it('covers every trait within its first 24 cases, and in a corpus of 200', () => {
    for (const n of [24, 200]) {
      const cases = corpusBlueprints(n);
      const covered = new Set(cases.flatMap((c) => c.traits));
      expect(
        requiredTraits().filter((t) => !covered.has(t)),
        `traits missing from ${n}`,
      ).toEqual([]);
      const counts = cases.map((c) => c.entities);
      expect(Math.max(...counts)).toBe(12);
      expect(counts).toContain(1);
    }
  });

  it('holds only valid Blueprints that are ready to build, each with its traits', () => {
    for (const c of corpusBlueprints(200)) {
      expect(parseBlueprint(c.blueprint)).toEqual(c.blueprint);
      expect(isReadyToBuild(c.blueprint).unmet, c.id).toEqual([]);
      expect(c.blueprint.template).toBe(c.template);
      expect(c.blueprint.sections.dataModel.entities).toHaveLength(c.entities);
      if (c.traits.includes('non-latin')) expect(JSON.stringify(c.blueprint)).toMatch(/[^\u0000-\u024f]/);
      expect(longestName(c.blueprint) >= 60, c.id).toBe(c.traits.includes('long-names'));
    }
  });

  it('groups alike failures under one cause', () => {
    expect(causeOf('step "test" failed in /tmp/orchard-abc123/x: 3 tests failed')).toBe(
      causeOf('step "test" failed in /tmp/orchard-def456/y: 12 tests failed'),
    );
    expect(causeOf('\n\nfirst line\nsecond')).toBe('first line');
    expect(causeOf('Release 26899b7 failed to start: the migration failed')).toBe(
      causeOf('Release acf927b failed to start: the migration failed'),
    );
  });
});
