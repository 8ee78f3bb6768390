/**
 * User stories a planner writes for a Blueprint that has none: what a person can do with the app,
 * each with acceptance criteria the browser robot checks on the deployed app. The checks use only
 * plain HTML facts (a control's `name`, its form's submit button, visible text), so they hold for
 * the scaffold templates and for an app an agent wrote to the same Blueprint.
 */
import type { Blueprint, Entity, Field, Page, UserStory } from './blueprint-schema.ts';
import type { CheckStep } from './check-steps.ts';
import { clip, humanize, toKebabCase, withArticle } from './naming.ts';
import { templateOf } from './readiness.ts';

/** Fields whose value shows as the record's name in lists (the templates' `recordTitle`). */
const TITLE_TYPES = new Set<Field['type']>(['text', 'email']);

/**
 * Stories for the Blueprint's pages: adding a record on each list page, the landing page's pitch.
 * An api-service has no pages, and a static site's list pages list Markdown entries (no form).
 */
export function storiesFor(bp: Blueprint): UserStory[] {
  const stories: UserStory[] = [];
  const template = templateOf(bp);
  if (template === 'api-service') return stories;
  const taken = new Set<string>();
  const add = (story: UserStory) => {
    if (taken.has(story.id)) return;
    taken.add(story.id);
    stories.push(story);
  };
  for (const page of bp.sections.pages) {
    if (!page.path || page.path.includes(':')) continue;
    if (page.kind === 'landing') {
      const pitch = firstLine(page.purpose) || firstLine(bp.summary);
      if (pitch)
        add({
          id: `see-${toKebabCase(page.name) || 'home'}`.slice(0, 60),
          story: clip(
            `As a visitor, I can read on ${page.name} what ${bp.feature || 'the product'} offers.`,
            500,
          ),
          acceptance: [
            {
              text: clip(`${page.path} shows “${pitch}”.`, 500),
              check: { path: page.path, steps: [{ expectText: pitch }] },
            },
          ],
        });
      continue;
    }
    if (page.kind !== 'list' || !page.entity || template === 'static-site') continue;
    const entity = bp.sections.dataModel.entities.find((e) => e.name === page.entity);
    if (!entity || !canCreate(bp, entity)) continue;
    const story = addRecordStory(entity, page);
    if (story) add(story);
  }
  return stories;
}

/** The template renders a create form on the list page when the entity has a create endpoint. */
function canCreate(bp: Blueprint, entity: Entity): boolean {
  const own = bp.sections.apiEndpoints.filter((ep) => ep.entity === entity.name && ep.action !== 'custom');
  // Without endpoints of its own the entity gets the conventional ones, create among them.
  return !own.length || own.some((ep) => ep.action === 'create');
}

/**
 * "As a user, I can add a recipe on Recipes": fill the form (the first text field, which names the
 * record in the list, and every required field), submit it, and see the new record listed. Its
 * name carries `{{run}}`, so each run adds a record of its own (unique fields stay unique).
 */
function addRecordStory(entity: Entity, page: Page): UserStory | undefined {
  const title = entity.fields.find((f) => TITLE_TYPES.has(f.type));
  if (!title) return undefined;
  const fields = entity.fields.filter((f) => f === title || (f.required && f.type !== 'boolean'));
  const steps: CheckStep[] = [];
  for (const field of fields) {
    const value = sampleFor(field, entity);
    if (value === undefined) return undefined;
    const selector = `[name="${field.name}"]`;
    steps.push(field.type === 'enum' ? { select: selector, value } : { fill: selector, value });
  }
  const shown = sampleFor(title, entity)!;
  steps.push({ click: `form:has([name="${title.name}"]) [type="submit"]` }, { expectText: shown });
  const one = humanize(entity.name).toLowerCase();
  return {
    id: `add-${toKebabCase(entity.name)}`.slice(0, 60),
    story: clip(`As a user, I can add ${withArticle(one)} on ${page.name} and see it in the list.`, 500),
    acceptance: [
      {
        text: clip(
          `Submitting the form on ${page.path} with ${fields.map((f) => humanize(f.name).toLowerCase()).join(', ')} filled in lists the new ${one}.`,
          500,
        ),
        check: { path: page.path!, steps },
      },
    ],
  };
}

/** A value a browser form accepts for the field; undefined when none can be made up. */
function sampleFor(field: Field, entity: Entity): string | undefined {
  const one = humanize(entity.name);
  switch (field.type) {
    case 'text':
    case 'longtext':
      return `${one} ${humanize(field.name).toLowerCase()} {{run}}`;
    case 'email':
      return 'check-{{run}}@example.com';
    case 'url':
      // The app's own address: the robot reaches nothing else (a picture field shows it as an image).
      return '{{origin}}/?check={{run}}';
    case 'number':
    case 'integer':
      return field.unique ? undefined : '3';
    case 'date':
      return field.unique ? undefined : '2026-01-15';
    case 'datetime':
      return field.unique ? undefined : '2026-01-15T10:00';
    case 'enum':
      return field.unique ? undefined : field.enumValues?.[0];
    case 'boolean':
      return undefined;
  }
}

/** Long texts are matched by their start: the page may wrap or truncate them. */
function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split('\n')[0]!.trim();
  return line.length > 120 ? line.slice(0, 120).replace(/\s+\S*$/, '') : line;
}
