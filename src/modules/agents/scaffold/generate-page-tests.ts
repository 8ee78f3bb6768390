/**
 * Generates `test/pages.test.js` for a generated app: every page renders, list and form pages add
 * records through their HTML forms (and show validation errors), detail pages show, edit and
 * delete a record, and a landing page's signup form stores a submission.
 */
import type { AppModel } from './app-model.ts';
import type { AppPage } from './app-pages.ts';
import { routeWith } from './generate-model-tests.ts';
import { jsLiteral, jsString } from './js-literal.ts';
import { expectedTitle, formFields, sampleRecord } from './sample-values.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** The text as the app's html`` escapes it, so tests can look for it in a page. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

const HEADER = `// Pages: each renders, and their forms work as a browser uses them. Generated from the Blueprint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './helpers.js';

/** A server of its own for one test, with an empty data directory. */
async function freshApp(t) {
  const app = await startTestServer();
  t.after(() => app.close());
  return app;
}

/** Asserts an HTML page with \`status\` that contains every one of \`texts\`. */
function assertPage(res, status, ...texts) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /text\\/html/);
  for (const text of texts) assert.ok(res.text.includes(text), \`expected the page to contain \${text}\`);
}

/** Asserts that a stored record holds every value of \`expected\`. */
function assertStored(record, expected) {
  for (const [name, value] of Object.entries(expected)) assert.deepEqual(record[name], value, name);
}
`;

/** A page path as a JS template literal: its last parameter is the record id (as the app links it). */
function pageRouteWith(path: string, idExpr: string): string {
  const literal = /^\d+$/.test(idExpr);
  const params = path.match(/:[A-Za-z0-9]+/g) ?? [];
  let out = path;
  params.forEach((param, i) => {
    out = out.replace(param, i < params.length - 1 ? '-' : literal ? idExpr : `\${${idExpr}}`);
  });
  return literal ? jsString(out) : `\`${out}\``;
}

function name(page: AppPage, siteName: string): string {
  return escapeHtml(page.kind === 'landing' && page.path === '/' ? siteName : page.name);
}

function renders(page: AppPage, siteName: string): string {
  return `test('page ${jsString(page.name).slice(1, -1)} renders at ${page.path}', async (t) => {
  const app = await freshApp(t);
  assertPage(await app.get(${jsString(page.path)}), 200, ${jsString(`<h1>${name(page, siteName)}</h1>`)});
});
`;
}

function createsThroughForm(page: AppPage, model: AppModel, label: string): string {
  const record = sampleRecord(model, 0);
  const title = expectedTitle(model, record);
  const required = model.fields.some((f) => f.required && f.type !== 'boolean');
  const after =
    page.kind === 'landing'
      ? [
          `  assert.equal(res.headers.get('location'), ${jsString(`${page.path}?thanks=1#signup`)});`,
          `  assertPage(await app.get(${jsString(`${page.path}?thanks=1`)}), 200, 'Thank you');`,
        ]
      : page.kind === 'list'
        ? [
            `  assert.equal(res.headers.get('location'), ${jsString(page.path)});`,
            ...(title
              ? [`  assertPage(await app.get(${jsString(page.path)}), 200, ${jsString(escapeHtml(title))});`]
              : []),
          ]
        : [];
  const lines = [
    `  const res = await app.post(${jsString(page.path)}, ${jsLiteral(formFields(model, record), '  ')});`,
    '  assert.equal(res.status, 303, res.text);',
    ...after,
  ];
  if (model.routes.list) {
    // What the form stored, read back through the API: every field survived the trip through HTML.
    lines.push(
      `  const stored = (await app.api('GET', ${jsString(model.routes.list)})).body.items;`,
      '  assert.equal(stored.length, 1);',
      `  assertStored(stored[0], ${jsLiteral(record, '  ')});`,
    );
  }
  if (required) lines.push(`  assertPage(await app.post(${jsString(page.path)}, {}), 400, 'is required');`);
  return `test('page ${jsString(page.name).slice(1, -1)} ${label}', async (t) => {\n  const app = await freshApp(t);\n${lines.join('\n')}\n});\n`;
}

function detailWorks(page: AppPage, model: AppModel, listPath: string | undefined): string {
  const create = model.routes.create!;
  const record = sampleRecord(model, 0);
  const changed = sampleRecord(model, 1);
  const title = expectedTitle(model, record);
  const changedTitle = expectedTitle(model, changed);
  const lines = [
    `  const created = await app.api('POST', ${jsString(create)}, ${jsLiteral(record, '  ')});`,
    `  const path = ${pageRouteWith(page.path, 'created.body.id')};`,
    `  assertPage(await app.get(path), 200, ${title ? jsString(escapeHtml(title)) : `\`${model.name} #\${created.body.id}\``});`,
    `  assertPage(await app.get(${pageRouteWith(page.path, '999999')}), 404);`,
  ];
  if (model.actions.includes('update')) {
    lines.push(
      `  const edit = await app.post(path, ${jsLiteral({ _action: 'update', ...formFields(model, changed) }, '  ')});`,
      '  assert.equal(edit.status, 303, edit.text);',
    );
    if (changedTitle)
      lines.push(`  assertPage(await app.get(path), 200, ${jsString(escapeHtml(changedTitle))});`);
    if (model.routes.get) {
      lines.push(
        `  assertStored((await app.api('GET', ${routeWith(model.routes.get, 'created.body.id')})).body, ${jsLiteral(changed, '  ')});`,
      );
    }
  }
  if (model.actions.includes('delete')) {
    lines.push(
      "  const gone = await app.post(path, { _action: 'delete' });",
      `  assert.equal(gone.headers.get('location'), ${jsString(listPath ?? '/')});`,
      '  assertPage(await app.get(path), 404);',
    );
  }
  return `test('page ${jsString(page.name).slice(1, -1)} shows one ${model.title.toLowerCase()}', async (t) => {\n  const app = await freshApp(t);\n${lines.join('\n')}\n});\n`;
}

export function pageTests(pages: AppPage[], models: AppModel[], siteName: string): string {
  const tests: string[] = [];
  for (const page of pages) {
    const model = models.find((m) => m.name === page.entity);
    if (!page.path.includes(':')) tests.push(renders(page, siteName));
    if (!model) continue;
    const canCreate = model.actions.includes('create');
    if (canCreate && (page.kind === 'list' || page.kind === 'form' || page.kind === 'landing')) {
      tests.push(
        createsThroughForm(
          page,
          model,
          page.kind === 'landing' ? 'stores a signup' : 'adds a record through its form',
        ),
      );
    }
    if (page.kind === 'detail' && canCreate) {
      const list = pages.find((p) => p.kind === 'list' && p.entity === model.name);
      tests.push(detailWorks(page, model, list?.path));
    }
  }
  return `${HEADER}\n${tests.join('\n')}`;
}
