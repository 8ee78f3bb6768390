import { describe, expect, it } from 'vitest';
import { emptyBlueprint } from '../../../../src/modules/blueprint/blueprint-schema.ts';
import type { BlueprintDocument } from '../../api/studio-types.ts';
import { startersFor } from './studio-chat-parts.tsx';

describe('startersFor', () => {
  it("suggests commands about the Blueprint on screen, never another app's nouns", () => {
    const doc = emptyBlueprint('Recipe box') as BlueprintDocument;
    expect(startersFor(doc)[0]).toBe('add entity Recipe with title:text!, notes:longtext');
    doc.sections.dataModel.entities.push({ name: 'Dish', fields: [], relations: [] });
    const starters = startersFor(doc);
    expect(starters).toContain('add field notes:longtext to Dish');
    expect(starters).toContain('add a list page for Dish');
    expect(starters.join(' ')).not.toMatch(/Photo|Gallery/);
  });
});
