/**
 * Blueprint → the files of a working app: the template's parts verbatim (the server, store,
 * validation, tests), the page-kind parts its pages need, and the generated files (models, site,
 * theme, tests, README, Orchard pipeline). Pure: same Blueprint, same files.
 */

import type { Blueprint, TemplateId } from '../../blueprint/index.ts';
import { appModels } from './app-model.ts';
import { appPages, navLinks } from './app-pages.ts';
import {
  customEndpointsModule,
  modelFile,
  modelModule,
  modelsIndex,
  pagesIndex,
  siteModule,
  themeCss,
} from './generate-app-files.ts';
import { appYml, GITIGNORE, PIPELINE_YML, packageJson, readme } from './generate-docs.ts';
import { customEndpointTests, modelTestFile, modelTests } from './generate-model-tests.ts';
import { pageTests } from './generate-page-tests.ts';
import { renderSpec } from './render-spec.ts';
import { partFiles } from './template-parts.ts';

/** Page kinds rendered by a part of their own; `custom` pages come with the base part. */
const PAGE_PARTS: Record<string, string> = {
  list: 'page-list',
  detail: 'page-detail',
  form: 'page-form',
  landing: 'page-landing',
};

export function scaffoldFiles(
  template: TemplateId,
  bp: Blueprint,
  baseParts: readonly string[],
): Map<string, string> {
  const { models, custom } = appModels(bp, template);
  const pages = appPages(bp, template, models);
  const kinds = [...new Set(pages.map((p) => p.kind))];
  const parts = [...baseParts, ...kinds.flatMap((k) => (PAGE_PARTS[k] ? [PAGE_PARTS[k]] : []))];

  const files = new Map<string, string>();
  for (const part of parts) for (const [file, text] of partFiles(part)) files.set(file, text);

  for (const model of models) {
    files.set(modelFile(model), modelModule(model));
    files.set(modelTestFile(model), modelTests(model, models, custom));
  }
  files.set('models/index.js', modelsIndex(models));
  files.set('app/site.js', siteModule(bp, pages, navLinks(pages), models));
  files.set('app/custom-endpoints.js', customEndpointsModule(custom));
  files.set('lib/pages/index.js', pagesIndex(kinds));
  files.set('public/theme.css', themeCss(bp.sections.designSystem.tokens));
  files.set('test/pages.test.js', pageTests(pages, models, bp.feature || 'My app'));
  const loose = custom.filter((ep) => !ep.entity || !models.some((m) => m.name === ep.entity));
  if (loose.length) files.set('test/custom-endpoints.test.js', customFile(loose));

  files.set('README.md', readme(bp, template, models, pages, custom));
  files.set('package.json', packageJson(bp));
  files.set('.gitignore', GITIGNORE);
  files.set('.orchard/pipeline.yml', PIPELINE_YML);
  files.set('.orchard/app.yml', appYml(template));
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
