/**
 * `.orchard/smoke.yml` for the templates whose apps a visit of the Blueprint's pages would not
 * prove: an API service (no pages: its root, its OpenAPI document, /health and each list), a
 * dashboard (its charts and the pages that feed them) and a static site (each page, the way from
 * a list to its entries and the navigation). Orchard's browser robot runs it on every deploy it
 * verifies, with the Blueprint's user stories. Values are the app's own words, quoted by the YAML
 * library, so any name reads back as written.
 */
import YAML from 'yaml';
import { clip, type TemplateId } from '../../blueprint/index.ts';
import type { AppModel } from './app-model.ts';
import type { AppPage } from './app-pages.ts';

type Step = Record<string, string>;
interface SmokePage {
  name: string;
  path: string;
  steps: Step[];
}

const page = (name: string, path: string, steps: Step[]): SmokePage => ({
  name: clip(name, 80),
  path,
  steps,
});

function apiChecks(siteName: string, models: AppModel[]): SmokePage[] {
  // The JSON text as the browser shows it: the name as JSON writes it, without its quotes.
  const name = JSON.stringify(siteName).slice(1, -1);
  return [
    page('API root', '/', [{ expectText: clip(name, 500) }, { expectText: '"docs": "/openapi.json"' }]),
    page('OpenAPI document', '/openapi.json', [{ expectText: '"openapi":"3.1.0"' }]),
    page('Health', '/health', [{ expectText: '"status":"ok"' }]),
    ...models
      .filter((m) => m.routes.list)
      .map((m) => page(`API: ${m.label}`, m.routes.list!, [{ expectText: '"items":' }])),
  ];
}

function appPageChecks(siteName: string, pages: AppPage[], models: AppModel[]): SmokePage[] {
  const checks: SmokePage[] = [];
  for (const p of pages) {
    if (p.path.includes(':')) continue;
    // A landing page at / is headed by the app's name, every other page by its own.
    const heading = p.kind === 'landing' && p.path === '/' ? siteName : p.name;
    const steps: Step[] = [{ expectVisible: 'h1' }, { expectText: heading }];
    if (p.kind === 'dashboard') {
      const shown = p.entity ? models.filter((m) => m.name === p.entity) : models;
      steps.push({ expectVisible: '.dashboard' });
      if (shown.length) steps.push({ expectVisible: '[data-total]' });
      // Enum and yes/no charts draw a bar per value even before the first record.
      if (shown.some((m) => m.fields.some((f) => f.type === 'enum' || f.type === 'boolean')))
        steps.push({ expectVisible: 'figure.chart svg' });
    }
    const model = models.find((m) => m.name === p.entity);
    if ((p.kind === 'list' || p.kind === 'form') && model?.actions.includes('create'))
      steps.push({ expectVisible: 'form' });
    checks.push(page(p.name, p.path, steps));
  }
  return checks;
}

function siteChecks(pages: AppPage[]): SmokePage[] {
  const checks: SmokePage[] = [];
  for (const p of pages) {
    if (p.kind !== 'content') continue;
    const steps: Step[] = [{ expectVisible: 'article.prose h1' }, { expectText: p.heading ?? p.name }];
    const entry = pages.find((e) => e.kind === 'entry' && e.collection === p.collection);
    // The first entry opens, and leads back to the list.
    if (entry) steps.push({ click: '.entries a' }, { expectText: `← ${p.name}` });
    checks.push(page(p.name, p.path, steps));
  }
  const home = pages.find((p) => p.path === '/');
  const next = pages.find((p) => p.kind === 'content' && p.path !== '/');
  if (home && next)
    checks.push(
      page(`Navigation to ${next.name}`, '/', [
        { click: `header nav a[href="${next.path}"]` },
        { expectText: next.heading ?? next.name },
      ]),
    );
  return checks;
}

/** The suite for a template that needs one of its own, else undefined (the Blueprint's pages do). */
export function smokeSuite(
  template: TemplateId,
  siteName: string,
  pages: AppPage[],
  models: AppModel[],
): string | undefined {
  const checks =
    template === 'api-service'
      ? apiChecks(siteName, models)
      : template === 'dashboard'
        ? appPageChecks(siteName, pages, models)
        : template === 'static-site'
          ? siteChecks(pages)
          : undefined;
  if (!checks) return undefined;
  return `# What Orchard's browser robot checks on every deploy of this app, with the Blueprint's user
# stories (generated from the Blueprint; edit it to check more).
${YAML.stringify({ pages: checks, failOnConsoleErrors: true, failOnFailedRequests: true }, { lineWidth: 0 })}`;
}
