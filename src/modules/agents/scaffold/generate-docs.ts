/** The generated app's README, package.json and Orchard files (.orchard/pipeline.yml, app.yml). */

import { slugify } from '../../../platform/slugify.ts';
import type { Blueprint, TemplateId } from '../../blueprint/index.ts';
import type { AppModel, CustomEndpoint } from './app-model.ts';
import type { AppPage } from './app-pages.ts';

/**
 * The app's tests on every push. Node's runner writes the human log to stdout and a JUnit report
 * beside it, which the pipeline page shows as passed and failed tests. Node 20 does not create the
 * report's directory itself, hence the mkdir; `npm test` stays the plain runner for people.
 */
export const PIPELINE_YML = `# Orchard runs this pipeline on every push: the app's own tests, with nothing to install.
# Their JUnit report (reports/junit.xml) is what the pipeline page shows as passed and failed tests.
jobs:
  test:
    steps:
      - name: test
        run: |
          mkdir -p reports
          node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml
    artifacts:
      reports:
        junit: reports/junit.xml
`;

const APP_YML = `# How Orchard starts and health-checks this app (it sets PORT and DATA_DIR).
start: node server.js
healthPath: /health
`;

/** Templates whose apps keep records people add: they get a database of their own. */
export const RECORD_TEMPLATES: readonly TemplateId[] = ['crud-app', 'api-service', 'dashboard'];

/**
 * `.orchard/app.yml`. An app that keeps records (crud-app, api-service, dashboard) asks for a
 * PostgreSQL database of its own per environment (Orchard sets DATABASE_URL; without it the app
 * keeps its file store) and names the migration Orchard runs before a new release takes traffic.
 */
export function appYml(template: TemplateId): string {
  if (!RECORD_TEMPLATES.includes(template)) return APP_YML;
  return `${APP_YML}# A PostgreSQL database per environment (DATABASE_URL); its tables are made or updated by the
# migration, which Orchard runs at each deploy before the new release takes traffic.
database: postgres
migrate: node scripts/migrate.js
`;
}

export const GITIGNORE = `# The app's data file (see DATA_DIR in the README), and the test report the pipeline writes.
data/
node_modules/
reports/
`;

export function packageJson(bp: Blueprint): string {
  const pkg = {
    name: slugify(bp.feature, 'app'),
    version: '0.1.0',
    private: true,
    description: bp.summary.split('\n')[0]?.slice(0, 200) ?? '',
    type: 'module',
    scripts: { start: 'node server.js', test: 'node --test', migrate: 'node scripts/migrate.js' },
    engines: { node: '>=20' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function apiTable(models: AppModel[], custom: CustomEndpoint[]): string {
  const rows: string[] = [];
  const methods = { list: 'GET', get: 'GET', create: 'POST', update: 'PUT', delete: 'DELETE' } as const;
  for (const model of models) {
    for (const action of model.actions) {
      rows.push(
        `| ${methods[action]} | \`${model.routes[action]}\` | ${action} ${model.label.toLowerCase()} |`,
      );
    }
    for (const c of model.counters) rows.push(`| POST | \`${c.path}\` | add one to ${c.field} |`);
  }
  for (const ep of custom)
    rows.push(`| ${ep.method} | \`${ep.path}\` | ${cell(ep.description)} (not implemented yet) |`);
  return rows.length
    ? `| Method | Path | What |\n|---|---|---|\n${rows.join('\n')}`
    : 'This app has no JSON API.';
}

/** What the README says about the template's own parts. */
function templateNotes(template: TemplateId, pages: AppPage[]): string {
  switch (template) {
    case 'api-service':
      return `## The API

It has no pages: \`GET /\` answers JSON naming the API and its documents, and
\`GET /openapi.json\` is its OpenAPI 3.1 document, built from \`models/\` (fields, validation, routes)
and \`app/custom-endpoints.js\` by \`lib/openapi.js\`, so it always says what the app serves. Every
other path answers JSON too, errors included.
`;
    case 'dashboard':
      return `## The dashboard

${
  pages
    .filter((p) => p.kind === 'dashboard')
    .map((p) => `\`${p.path}\``)
    .join(', ') || 'The dashboard'
} charts the app's own records: how many there are, how many
have each value of an enum or yes/no field, how many per month of a date field, and each number
field summed by the first enum (or yes/no) field (\`lib/charts.js\`, SVG drawn on the server: no
script, nothing fetched from elsewhere).
`;
    case 'static-site':
      return `## Content

Every page is a Markdown file in \`content/\` (\`content/index.md\` is the home page; the table
below names each page's file). A page whose path has a parameter (\`/posts/:id\`) shows one entry of
a folder (\`content/posts/<id>.md\`), and the page at the folder's path lists them, titled by their
first heading; entries named after a date (\`2024-05-31-hello.md\`) are listed newest first. Edit
or add files and push: the site reads them on each request. \`lib/markdown.js\` renders them and
escapes everything, so HTML in a file shows as text and links lead only to the web, mail or this
site.
`;
    default:
      return '';
  }
}

export function readme(
  bp: Blueprint,
  template: TemplateId,
  models: AppModel[],
  pages: AppPage[],
  custom: CustomEndpoint[],
): string {
  const shows = (p: AppPage) =>
    p.content
      ? `\`content/${p.content}\`${p.collection ? ` and the entries of \`content/${p.collection}/\`` : ''}`
      : p.kind === 'entry'
        ? `an entry of \`content/${p.collection}/\``
        : `${p.kind}${p.entity ? ` of ${p.entity}` : ''}`;
  const pageRows = pages.map((p) => `| ${cell(p.name)} | \`${p.path}\` | ${shows(p)} |`);
  const pagesSection = pages.length
    ? `| Page | Path | Shows |\n|---|---|---|\n${pageRows.join('\n')}`
    : 'This app has no pages.';
  const notes = templateNotes(template, pages);
  const todo = custom.length
    ? `\n## Still to write\n\nThese endpoints from the Blueprint answer \`501 Not Implemented\` until you write them in\n\`app/custom-endpoints.js\`:\n\n${custom.map((ep) => `- \`${ep.method} ${ep.path}\`${ep.description ? `: ${cell(ep.description)}` : ''}`).join('\n')}\n`
    : '';
  return `# ${bp.feature || 'My app'}

${bp.summary || 'A web app generated by Orchard.'}

Generated by Orchard from its Blueprint (template \`${template}\`). It uses only Node's built-in
modules: there is nothing to install.

## Run it

\`\`\`sh
node server.js                # http://localhost:3000
PORT=8080 DATA_DIR=/var/lib/app node server.js
node --test                   # the tests
\`\`\`

- \`PORT\`: the port to listen on (default 3000).
- \`DATA_DIR\`: where \`db.json\` is kept (default \`./data\`). Every change rewrites it atomically.
- \`DATABASE_URL\`: keep the records in PostgreSQL instead (a table per entity, the fields in a jsonb
  column); \`node scripts/migrate.js\` makes the tables, and the app makes any still missing at start.
  Orchard sets it when \`.orchard/app.yml\` says \`database: postgres\` or the project has
  Orchard's database service attached.
- \`GET /health\` answers \`{"status":"ok"}\`. \`SIGTERM\` finishes open requests, then exits.

## Pages

${pagesSection}
${notes ? `\n${notes}` : ''}
## API

${
  models.length || custom.length
    ? `JSON in and out. Invalid input answers \`400\` with \`{ "error", "fields": [{ "field", "message" }] }\`;
a taken unique value answers \`409\`. \`PUT\` changes only the fields it is sent.

${apiTable(models, custom)}`
    : 'This app has no JSON API.'
}
${todo}
## Where things are

- \`models/\`: one file per entity: its fields, their validation, its endpoints. Edit freely.
- \`app/site.js\`: the pages and the navigation. \`app/custom-endpoints.js\`: hand-written endpoints.
- \`lib/\`: the server (router, store, validation, HTML); \`lib/pages/\`: one renderer per page kind.
  \`lib/store.js\` is the file store, \`lib/pg-store.js\` the PostgreSQL one on \`lib/pg-client.js\` (a
  PostgreSQL client on Node's built-ins); \`lib/open-store.js\` picks one at start.
- \`public/theme.css\`: the design tokens as CSS variables; \`public/app.css\`: the styles using them.
- \`public/orchard-preview.js\`: tells Orchard's preview pane which page is open (only inside its frame).
- \`lib/telemetry.js\`: a server span and a log record per request, sent to Orchard over OTLP/JSON when it
  sets \`OTEL_EXPORTER_OTLP_ENDPOINT\`; \`public/orchard-errors.js\` reports the page's errors through it.
- \`test/\`: the tests, run by \`node --test\` and by Orchard's pipeline (\`.orchard/pipeline.yml\`), which
  also writes their JUnit report to \`reports/junit.xml\` for the pipeline page.
- \`docs/spec.md\`: the spec this app was built from.
`;
}
