/**
 * Autopilot's answer to the readiness rules: instead of asking, it fills each gap with a plausible
 * default and records what it assumed (source `autopilot`), so the user can review every guess.
 */
import { slugify } from '../../platform/slugify.ts';
import type { Blueprint, TemplateId } from './blueprint-schema.ts';
import { exposeEntity } from './crud-defaults.ts';
import { tokensFor } from './design-defaults.ts';
import { clip } from './naming.ts';
import { isReadyToBuild, templateOf } from './readiness.ts';
import { storiesFor } from './user-stories.ts';

type Filler = (bp: Blueprint) => string;

/** What each template makes, for placeholder names and summaries. */
const PLACEHOLDERS: Record<TemplateId, { feature: string; what: string }> = {
  'crud-app': { feature: 'My app', what: 'web app' },
  'landing-page': { feature: 'Launch page', what: 'landing page that collects signups' },
  'api-service': { feature: 'My API', what: 'JSON API' },
  dashboard: { feature: 'My dashboard', what: 'dashboard of its own records' },
  'static-site': { feature: 'My site', what: 'website' },
};

const FILLERS: Record<string, Filler> = {
  'feature-named': (bp) => {
    bp.feature = PLACEHOLDERS[templateOf(bp)].feature;
    return `The feature is called “${bp.feature}” until you name it.`;
  },
  'summary-written': (bp) => {
    bp.summary = clip(`${bp.feature}: a ${PLACEHOLDERS[templateOf(bp)].what}.`, 2000);
    return 'The summary is a placeholder to rewrite.';
  },
  'has-entity': (bp) => {
    bp.sections.dataModel.entities.push({
      name: 'Item',
      fields: [
        { name: 'name', type: 'text', required: true },
        { name: 'notes', type: 'longtext', required: false },
      ],
      relations: [],
    });
    exposeEntity(bp, 'Item');
    return 'The app keeps a list of Items with a name and notes.';
  },
  'has-landing-page': (bp) => {
    const form = bp.sections.dataModel.entities.find((e) => e.fields.some((f) => f.type === 'email'));
    const components = ['hero', 'features', 'call-to-action', ...(form ? ['signup-form'] : [])];
    const root = bp.sections.pages.find((p) => p.path === '/');
    if (root) {
      root.kind = 'landing';
      root.components = root.components.length ? root.components : components;
      return `Page ${root.name} at / is the landing page.`;
    }
    const name = bp.sections.pages.some((p) => p.name.toLowerCase() === 'home') ? 'Landing' : 'Home';
    bp.sections.pages.push({
      name,
      path: '/',
      purpose: clip(bp.summary, 500),
      kind: 'landing',
      components,
      ...(form ? { entity: form.name } : {}),
    });
    return `The landing page lives at /${form ? ` and its form stores ${form.name} records` : ''}.`;
  },
  'has-page': (bp) => {
    bp.sections.pages.push(
      { name: 'Home', path: '/', purpose: clip(bp.summary, 500), kind: 'landing', components: [] },
      {
        name: 'About',
        path: '/about',
        purpose: `What ${bp.feature || 'this site'} is about`,
        kind: 'custom',
        components: [],
      },
    );
    return 'The site has a home page and an About page, each a Markdown file to rewrite.';
  },
  'entities-have-fields': (bp) => {
    const entity = bp.sections.dataModel.entities.find((e) => e.fields.length === 0)!;
    entity.fields.push({ name: 'name', type: 'text', required: true });
    return `Each ${entity.name} has a name.`;
  },
  'entities-exposed': (bp) => {
    const { apiEndpoints, pages } = bp.sections;
    const entity = bp.sections.dataModel.entities.find(
      (e) => !pages.some((p) => p.entity === e.name) && !apiEndpoints.some((ep) => ep.entity === e.name),
    )!;
    const added = exposeEntity(bp, entity.name);
    const what = [added.endpoints.length ? 'endpoints' : '', added.pages.length ? 'pages' : ''].filter(
      Boolean,
    );
    return `${entity.name} gets the usual ${what.join(' and ') || 'endpoints'}.`;
  },
  'pages-have-paths': (bp) => {
    const page = bp.sections.pages.find((p) => !p.path)!;
    let path = `/${slugify(page.name, 'page')}`;
    for (let n = 2; bp.sections.pages.some((p) => p.path === path); n++)
      path = `/${slugify(page.name, 'page')}-${n}`;
    page.path = path;
    return `Page ${page.name} lives at ${path}.`;
  },
  'design-colors': (bp) => {
    const defaults = tokensFor(bp.feature);
    const tokens = bp.sections.designSystem.tokens;
    tokens.colors = { ...defaults.colors, ...tokens.colors };
    tokens.fonts = { ...defaults.fonts, ...tokens.fonts };
    tokens.fontSizes = { ...defaults.fontSizes, ...tokens.fontSizes };
    tokens.radii = { ...defaults.radii, ...tokens.radii };
    tokens.spacing = { ...defaults.spacing, ...tokens.spacing };
    return `The colors are a default palette (primary ${tokens.colors.primary}).`;
  },
  'questions-answered': (bp) => {
    const question = bp.openQuestions.find((q) => !q.answer?.trim())!;
    question.answer = 'No preference given; going with the simplest option.';
    return `For “${question.question}” (${question.id}) the simplest option was chosen.`;
  },
};

/**
 * Fills every unmet readiness rule, recording each guess as an assumption, and writes user stories
 * when there are none. Returns the guesses.
 */
export function fillGapsWithAssumptions(bp: Blueprint): string[] {
  const assumed: string[] = [];
  // Each filler satisfies its rule or moves to the next; the bound guards against a rule that cannot be met.
  for (let round = 0; round < 50; round++) {
    const next = isReadyToBuild(bp).unmet[0];
    if (!next) break;
    const fill = FILLERS[next.rule];
    if (!fill) throw new Error(`autopilot has no default for readiness rule ${next.rule}`);
    const text = fill(bp);
    assumed.push(text);
    bp.assumptions.push({ text, source: 'autopilot' });
  }
  // What was asked, checkable: the planner writes the stories a Blueprint without any implies.
  if (!bp.userStories.length) {
    bp.userStories = storiesFor(bp);
    if (bp.userStories.length) {
      const text = `The user stories, each checked in a browser after the build, are ${bp.userStories.map((s) => s.id).join(', ')}.`;
      assumed.push(text);
      bp.assumptions.push({ text, source: 'autopilot' });
    }
  }
  return assumed;
}
