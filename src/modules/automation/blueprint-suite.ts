import type { SmokePage, SmokeStep, SmokeSuite } from './smoke-suite.ts';

/**
 * The parts of a Studio Blueprint the robot reads (structurally typed so automation does not
 * depend on the studio module's internals).
 */
export interface BlueprintLike {
  summary?: string;
  sections: {
    pages: Array<{ name: string; path?: string; purpose?: string; entity?: string; kind: string }>;
    apiEndpoints?: Array<{ entity?: string; action: string }>;
  };
  userStories?: Array<{
    id: string;
    story: string;
    acceptance: Array<{ text: string; check?: { path: string; steps: SmokeStep[] } }>;
  }>;
}

const MAX_TEXT = 120;

/**
 * A smoke suite that checks the Blueprint's user stories (their acceptance checks) and visits every
 * page of the Blueprint, with expectations matched to what the
 * scaffold templates render (templates/parts/page-*): every page has an `h1`; app pages show their
 * name; list pages of creatable entities and form pages show a form; a landing page shows its
 * purpose (or the summary). Pages whose path needs a record id (`/photos/:id`) are not visited.
 */
export function suiteFromBlueprint(blueprint: BlueprintLike): SmokeSuite {
  const pages = [...pageChecks(blueprint), ...storyChecks(blueprint)];
  if (!pages.length) pages.push({ name: 'Home', path: '/', steps: [{ expectVisible: 'body' }] });
  return { pages, failOnConsoleErrors: true, failOnFailedRequests: true };
}

/**
 * One robot page per acceptance criterion that has a check, named after its story
 * ("add-recipe: Submitting the form on /recipes … lists the new recipe") and saying which story
 * and criterion it checks (a failure can then point at them).
 */
export function storyChecks(blueprint: Pick<BlueprintLike, 'userStories'>): SmokePage[] {
  const pages: SmokePage[] = [];
  for (const story of blueprint.userStories ?? []) {
    for (const [i, criterion] of story.acceptance.entries()) {
      if (!criterion.check) continue;
      const suffix = story.acceptance.length > 1 ? ` #${i + 1}` : '';
      pages.push({
        name: clipName(`Story ${story.id}${suffix}: ${criterion.text}`),
        path: criterion.check.path,
        steps: criterion.check.steps,
        story: { id: story.id, criterion: i },
      });
    }
  }
  return pages;
}

function clipName(text: string) {
  return text.length <= 80 ? text : `${text.slice(0, 79).trimEnd()}…`;
}

function pageChecks(blueprint: BlueprintLike): SmokePage[] {
  const creatable = new Set(
    (blueprint.sections.apiEndpoints ?? [])
      .filter((e) => e.action === 'create' && e.entity)
      .map((e) => e.entity),
  );
  const pages: SmokePage[] = [];
  for (const page of blueprint.sections.pages) {
    if (!page.path || page.path.includes('/:')) continue;
    const steps: SmokeStep[] = [{ expectVisible: 'h1' }];
    if (page.kind === 'landing') {
      const pitch = firstLine(page.purpose) || firstLine(blueprint.summary);
      if (pitch) steps.push({ expectText: pitch });
    } else {
      steps.push({ expectText: page.name });
    }
    const hasForm =
      page.kind === 'form' || (page.kind === 'list' && page.entity && creatable.has(page.entity));
    if (hasForm) steps.push({ expectVisible: 'form' });
    pages.push({ name: page.name, path: page.path, steps });
  }
  return pages;
}

/** Long purposes are matched by their start: the page may wrap or truncate them. */
function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split('\n')[0]!.trim();
  return line.length > MAX_TEXT ? line.slice(0, MAX_TEXT).replace(/\s+\S*$/, '') : line;
}
