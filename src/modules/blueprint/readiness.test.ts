import { describe, expect, it } from 'vitest';
import { applyBlueprintPatch } from './apply-patch.ts';
import { type Blueprint, emptyBlueprint } from './blueprint-schema.ts';
import { isReadyToBuild } from './readiness.ts';

const rules = (bp: Blueprint) => isReadyToBuild(bp).unmet.map((u) => u.rule);

function crudReady(): Blueprint {
  return applyBlueprintPatch(emptyBlueprint('Gallery'), [
    { op: 'replace', path: '/summary', value: 'Photos people like' },
    {
      op: 'add',
      path: '/sections/dataModel/entities/-',
      value: { name: 'Photo', fields: [{ name: 'title', type: 'text', required: true }] },
    },
    {
      op: 'add',
      path: '/sections/pages/-',
      value: { name: 'Photos', path: '/photos', kind: 'list', entity: 'Photo' },
    },
    {
      op: 'add',
      path: '/sections/designSystem/tokens/colors',
      value: { primary: '#123', background: '#fff' },
    },
  ]);
}

describe('isReadyToBuild', () => {
  it('lists every unmet rule of an empty CRUD Blueprint in the order the Architect asks them', () => {
    const readiness = isReadyToBuild(emptyBlueprint());
    expect(readiness.ready).toBe(false);
    expect(readiness.unmet.map((u) => u.rule)).toEqual([
      'feature-named',
      'summary-written',
      'has-entity',
      'design-colors',
    ]);
    const first = readiness.unmet[0]!;
    expect(first.message).toBe('The feature has no name.');
    expect(first.question).toBe('What should we call this? (for example: set feature Photo gallery)');
    expect(first.example).toBe('set feature Photo gallery');
  });

  it('is ready when every rule is met', () => {
    expect(isReadyToBuild(crudReady())).toEqual({ ready: true, unmet: [] });
  });

  it('names the entity, page and question that are missing something', () => {
    const bp = applyBlueprintPatch(crudReady(), [
      { op: 'add', path: '/sections/dataModel/entities/-', value: { name: 'Tag' } },
      { op: 'add', path: '/sections/pages/-', value: { name: 'About', kind: 'custom' } },
      { op: 'remove', path: '/sections/designSystem/tokens/colors/background' },
      { op: 'add', path: '/openQuestions/-', value: { id: 'q7', question: 'Public or private?' } },
    ]);
    const unmet = isReadyToBuild(bp).unmet;
    expect(unmet.map((u) => [u.rule, u.message])).toEqual([
      ['entities-have-fields', 'Tag has no fields.'],
      ['entities-exposed', 'Tag has no page and no endpoint.'],
      ['pages-have-paths', 'Page About has no path.'],
      ['design-colors', 'The design system has no background color.'],
      ['questions-answered', '1 open question is unanswered.'],
    ]);
    expect(unmet.map((u) => u.example)).toEqual([
      'add field name:text! to Tag',
      'add page Tag list at /tags showing Tag as list',
      'move page About to /about',
      'set color background #ffffff',
      'answer q7: …',
    ]);
    expect(unmet[4]?.question).toBe('Public or private? (for example: answer q7: …)');
  });

  it('an answered question no longer counts', () => {
    const bp = applyBlueprintPatch(crudReady(), [
      { op: 'add', path: '/openQuestions/-', value: { id: 'q1', question: 'Public?', answer: 'yes' } },
    ]);
    expect(isReadyToBuild(bp).ready).toBe(true);
  });

  it('asks a landing page for a landing page instead of entities', () => {
    const bp = { ...emptyBlueprint('Launch'), template: 'landing-page' as const, summary: 'Soon' };
    bp.sections.designSystem.tokens.colors = { primary: '#000', background: '#fff' };
    expect(rules(bp)).toEqual(['has-landing-page']);
    const withPage = applyBlueprintPatch(bp, [
      { op: 'add', path: '/sections/pages/-', value: { name: 'Home', path: '/', kind: 'landing' } },
    ]);
    expect(rules(withPage)).toEqual([]);
    expect(rules({ ...withPage, template: 'crud-app' })).toEqual(['has-entity']);
  });

  it('asks an API or a dashboard for entities, and a static site for pages instead', () => {
    const bp = { ...emptyBlueprint('Anything'), summary: 'Something' };
    bp.sections.designSystem.tokens.colors = { primary: '#000', background: '#fff' };
    expect(rules({ ...bp, template: 'api-service' })).toEqual(['has-entity']);
    expect(rules({ ...bp, template: 'dashboard' })).toEqual(['has-entity']);
    expect(rules({ ...bp, template: 'static-site' })).toEqual(['has-page']);
    const withPage = applyBlueprintPatch(bp, [
      { op: 'add', path: '/sections/pages/-', value: { name: 'About', path: '/about', kind: 'custom' } },
    ]);
    expect(rules({ ...withPage, template: 'static-site' })).toEqual([]);
  });
});
