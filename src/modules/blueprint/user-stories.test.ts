import { describe, expect, it } from 'vitest';
import { Blueprint, emptyBlueprint, parseBlueprint } from './blueprint-schema.ts';
import { exposeEntity } from './crud-defaults.ts';
import { fillGapsWithAssumptions } from './fill-gaps.ts';
import { storiesFor } from './user-stories.ts';

function app(fields: Blueprint['sections']['dataModel']['entities'][number]['fields'], entity = 'Recipe') {
  const bp = emptyBlueprint('Recipe box');
  bp.template = 'crud-app';
  bp.sections.dataModel.entities.push({ name: entity, fields, relations: [] });
  exposeEntity(bp, entity);
  return bp;
}

describe('storiesFor', () => {
  it('writes an add-and-see story per list page, filling the title and every required field', () => {
    const bp = app([
      { name: 'title', type: 'text', required: true },
      { name: 'servings', type: 'integer', required: true },
      { name: 'cuisine', type: 'enum', required: true, enumValues: ['thai', 'french'] },
      { name: 'vegan', type: 'boolean', required: true },
      { name: 'notes', type: 'longtext', required: false },
    ]);
    const [story, ...rest] = storiesFor(bp);
    expect(rest).toEqual([]);
    expect(story!.id).toBe('add-recipe');
    expect(story!.story).toBe('As a user, I can add a recipe on Recipes and see it in the list.');
    expect(story!.acceptance[0]!.check).toEqual({
      path: '/recipes',
      steps: [
        { fill: '[name="title"]', value: 'Recipe title {{run}}' },
        { fill: '[name="servings"]', value: '3' },
        { select: '[name="cuisine"]', value: 'thai' },
        { click: 'form:has([name="title"]) [type="submit"]' },
        { expectText: 'Recipe title {{run}}' },
      ],
    });
    // What the planner writes is a valid Blueprint.
    expect(parseBlueprint({ ...bp, userStories: [story] }).userStories).toHaveLength(1);
  });

  it('writes none for an entity that cannot be added or shown by name, or a unique field it cannot vary', () => {
    const readOnly = app([{ name: 'title', type: 'text', required: true }]);
    readOnly.sections.apiEndpoints = readOnly.sections.apiEndpoints.filter((e) => e.action !== 'create');
    expect(storiesFor(readOnly)).toEqual([]);
    expect(storiesFor(app([{ name: 'count', type: 'integer', required: true }]))).toEqual([]);
    expect(
      storiesFor(
        app([
          { name: 'title', type: 'text', required: true },
          { name: 'day', type: 'date', required: true, unique: true },
        ]),
      ),
    ).toEqual([]);
  });

  it("checks a landing page's pitch", () => {
    const bp = emptyBlueprint('Bakery');
    bp.template = 'landing-page';
    bp.sections.pages.push({
      name: 'Home',
      path: '/',
      purpose: 'Fresh bread every morning',
      kind: 'landing',
      components: [],
    });
    expect(storiesFor(bp)).toEqual([
      {
        id: 'see-home',
        story: 'As a visitor, I can read on Home what Bakery offers.',
        acceptance: [
          {
            text: '/ shows “Fresh bread every morning”.',
            check: { path: '/', steps: [{ expectText: 'Fresh bread every morning' }] },
          },
        ],
      },
    ]);
  });

  it('is written by the autopilot when a Blueprint has no stories, and kept when it has', () => {
    const bp = app([{ name: 'title', type: 'text', required: true }]);
    bp.summary = 'Recipes';
    const assumed = fillGapsWithAssumptions(bp);
    expect(bp.userStories.map((s) => s.id)).toEqual(['add-recipe']);
    expect(assumed.at(-1)).toMatch(/user stories.*add-recipe/);
    const own = { id: 'mine', story: 'As a cook, I can print a recipe.', acceptance: [] };
    bp.userStories = [own];
    fillGapsWithAssumptions(bp);
    expect(bp.userStories).toEqual([own]);
  });
});

describe('user stories in the Blueprint schema', () => {
  const withStories = (userStories: unknown) => Blueprint.safeParse({ ...emptyBlueprint('x'), userStories });
  const messages = (result: ReturnType<typeof withStories>) =>
    result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('refuses duplicate ids, paths the robot cannot open and steps it does not know, saying what to fix', () => {
    expect(
      messages(
        withStories([
          { id: 'add', story: 'a', acceptance: [] },
          { id: 'add', story: 'b', acceptance: [] },
        ]),
      ),
    ).toEqual(['userStories.1.id: another user story already has id add']);
    expect(
      messages(
        withStories([
          {
            id: 'x',
            story: 'a',
            acceptance: [{ text: 't', check: { path: '/r/:id', steps: [{ click: 'a' }] } }],
          },
        ]),
      ),
    ).toEqual([
      'userStories.0.acceptance.0.check.path: use a path the robot can open, like /recipes (no :params)',
    ]);
    expect(
      messages(
        withStories([
          { id: 'x', story: 'a', acceptance: [{ text: 't', check: { path: '/', steps: [{ tap: 'a' }] } }] },
        ]),
      ),
    ).toEqual([
      expect.stringMatching(
        /^userStories\.0\.acceptance\.0\.check\.steps\.0: must be exactly one of goto, click, fill/,
      ),
    ]);
    expect(messages(withStories([{ id: 'Add Recipe', story: 'a' }]))).toEqual([
      'userStories.0.id: use a short lowercase id such as add-recipe',
    ]);
  });

  it('writes no story to add records where the template has no forms: an API, a static site', () => {
    const bp = emptyBlueprint('Notes');
    bp.sections.dataModel.entities.push({
      name: 'Post',
      fields: [{ name: 'title', type: 'text', required: true }],
      relations: [],
    });
    bp.template = 'static-site';
    exposeEntity(bp, 'Post');
    expect(bp.sections.apiEndpoints).toEqual([]);
    expect(bp.sections.pages.map((p) => [p.path, p.purpose])).toEqual([
      ['/posts', 'Every one of the posts'],
      ['/posts/:id', 'Read one post'],
    ]);
    expect(storiesFor(bp)).toEqual([]);
    bp.template = 'api-service';
    expect(storiesFor(bp)).toEqual([]);
    bp.template = 'dashboard';
    expect(storiesFor(bp).map((s) => s.id)).toEqual(['add-post']);
  });
});
