/**
 * Blueprint → the files of a working app: the template's parts verbatim (the server, store,
 * validation, tests), the page-kind parts its pages need, and the generated files (models, site,
 * theme, tests, README, Orchard pipeline and smoke suite, a static site's Markdown). Pure: same
 * Blueprint, same files.
 */

import path from 'node:path';
import type { Blueprint, TemplateId } from '../../blueprint/index.ts';
import { appModels } from './app-model.ts';
import { appPages, navLinks } from './app-pages.ts';
import {
  customEndpointsModule,
  extensionsIndex,
  modelFile,
  modelModule,
  modelsIndex,
  pagesIndex,
  siteModule,
  themeCss,
} from './generate-app-files.ts';
import { contentFiles } from './generate-content.ts';
import { appYml, GITIGNORE, PIPELINE_YML, packageJson, readme } from './generate-docs.ts';
import { customEndpointTests, modelTestFile, modelTests } from './generate-model-tests.ts';
import { pageTests } from './generate-page-tests.ts';
import { smokeSuite } from './generate-smoke-suite.ts';
import { renderSpec } from './render-spec.ts';
import { partFiles } from './template-parts.ts';

/** Page kinds rendered by a part of their own; `custom` pages come with the base part. */
const PAGE_PARTS: Record<string, string> = {
  list: 'page-list',
  detail: 'page-detail',
  form: 'page-form',
  landing: 'page-landing',
  dashboard: 'page-dashboard',
  content: 'page-markdown',
  entry: 'page-markdown',
};

export function scaffoldFiles(
  template: TemplateId,
  bp: Blueprint,
  baseParts: readonly string[],
): Map<string, string> {
  // A static site keeps no records: its entities are folders of Markdown entries, not an API.
  const { models, custom } =
    template === 'static-site' ? { models: [], custom: [] } : appModels(bp, template);
  const pages = appPages(bp, template, models);
  const kinds = [...new Set(pages.map((p) => p.kind))];
  const pageParts = [...new Set(kinds.flatMap((k) => (PAGE_PARTS[k] ? [PAGE_PARTS[k]] : [])))];
  const parts = [...new Set([...baseParts, ...pageParts])];
  const siteName = bp.feature || 'My app';

  const files = new Map<string, string>();
  for (const part of parts) for (const [file, text] of partFiles(part)) files.set(file, text);
  const extensions = [...files.keys()]
    .filter((file) => /^lib\/extensions\/[^/]+\.js$/.test(file))
    .map((file) => path.posix.basename(file));
  // Each page part's stylesheet (public/<name>.css) is linked by the pages, after the base ones.
  const styles = pageParts.flatMap((part) =>
    [...partFiles(part).keys()]
      .filter((file) => /^public\/[^/]+\.css$/.test(file))
      .map((file) => `/assets/${path.posix.basename(file)}`),
  );

  const openapi = extensions.includes('api-docs.js');
  for (const model of models) {
    files.set(modelFile(model), modelModule(model));
    files.set(modelTestFile(model), modelTests(model, models, custom, { openapi }));
  }
  files.set('models/index.js', modelsIndex(models));
  files.set('app/site.js', siteModule(bp, pages, navLinks(pages), models, styles));
  files.set('app/custom-endpoints.js', customEndpointsModule(custom));
  files.set('lib/pages/index.js', pagesIndex(kinds));
  files.set('lib/extensions/index.js', extensionsIndex(extensions));
  files.set('public/theme.css', themeCss(bp.sections.designSystem.tokens));
  if (pages.length) files.set('test/pages.test.js', pageTests(pages, models, siteName));
  const loose = custom.filter((ep) => !ep.entity || !models.some((m) => m.name === ep.entity));
  if (loose.length) files.set('test/custom-endpoints.test.js', customFile(loose));
  for (const [file, text] of contentFiles(bp, pages)) files.set(file, text);

  files.set('README.md', readme(bp, template, models, pages, custom));
  files.set('package.json', packageJson(bp));
  files.set('.gitignore', GITIGNORE);
  files.set('.orchard/pipeline.yml', PIPELINE_YML);
  files.set('.orchard/app.yml', appYml(template));
  const smoke = smokeSuite(template, siteName, pages, models);
  if (smoke) files.set('.orchard/smoke.yml', smoke);
  files.set('.orchard/blueprint.json', `${JSON.stringify(bp, null, 2)}\n`);
  files.set('docs/spec.md', renderSpec(bp));
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Tests for custom endpoints that belong to no model. */
function customFile(custom: Parameters<typeof customEndpointTests>[0]): string {
  return `// Custom endpoints from the Blueprint that are not written yet. Generated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './helpers.js';

async function freshApp(t) {
  const app = await startTestServer();
  t.after(() => app.close());
  return app;
}

${customEndpointTests(custom)}`;
}
