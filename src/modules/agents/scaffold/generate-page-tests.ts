/**
 * Generates `test/pages.test.js` for a generated app: every page renders, list and form pages add
 * records through their HTML forms (and show validation errors), detail pages show, edit and
 * delete a record, a landing page's signup form stores a submission, a dashboard counts what was
 * added, and a static site's list pages lead to their entries (and to nothing outside content/).
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

test('an unknown page answers an HTML 404 in the layout, with the script that tells Orchard which page is open', async (t) => {
  const app = await freshApp(t);
  const page = await app.get('/nothing-here');
  assertPage(page, 404, 'Not found', '<script src="/assets/orchard-preview.js" defer></script>');
  const script = await app.get('/assets/orchard-preview.js');
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type'), /text\\/javascript/);
  assert.match(script.text, /postMessage\\(\\{ type: 'orchard:preview-location'/);
});
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
  return escapeHtml(page.heading ?? (page.kind === 'landing' && page.path === '/' ? siteName : page.name));
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

/** The dashboard counts the records the API adds (two when unique fields allow it). */
function dashboardCounts(page: AppPage, models: AppModel[]): string {
  const shown = models.filter((m) => (page.entity ? m.name === page.entity : true) && m.routes.create);
  if (!shown.length) return '';
  const lines: string[] = [];
  const counts: [AppModel, number][] = [];
  for (const model of shown) {
    const [first, second] = [sampleRecord(model, 0), sampleRecord(model, 1)];
    const distinct = model.fields.every((f) => !f.unique || first[f.name] !== second[f.name]);
    const samples = distinct ? [first, second] : [first];
    for (const record of samples)
      lines.push(
        `  assert.equal((await app.api('POST', ${jsString(model.routes.create!)}, ${jsLiteral(record, '  ')})).status, 201);`,
      );
    counts.push([model, samples.length]);
  }
  const res = `  const res = await app.get(${jsString(page.path)});`;
  const checks = counts.map(
    ([model, n]) => `  assertPage(res, 200, ${jsString(`data-model="${model.name}" data-total="${n}"`)});`,
  );
  const charted = shown.some((m) => m.fields.some((f) => f.type === 'enum' || f.type === 'boolean'));
  if (charted) checks.push('  assert.match(res.text, /<figure class="chart"[^>]*>\\s*<figcaption>/);');
  return `test('page ${jsString(page.name).slice(1, -1)} counts and charts the records', async (t) => {\n  const app = await freshApp(t);\n${lines.join('\n')}\n${res}\n${checks.join('\n')}\n});\n`;
}

/** A list page of a static site links to its first entry, which opens; other names do not. */
function entriesWork(page: AppPage, entry: AppPage): string {
  // As the app links an entry: its last parameter is the entry's name, earlier ones are `-`.
  const entryHref = (name: string) => {
    const params = entry.path.match(/:[A-Za-z0-9]+/g) ?? [];
    return params.reduce(
      (path, param, i) => path.replace(param, i === params.length - 1 ? name : '-'),
      entry.path,
    );
  };
  const href = entryHref('welcome');
  const missing = jsString(entryHref('no-such-entry'));
  const outside = jsString(entryHref('..%2F..%2Fserver'));
  return `test('page ${jsString(page.name).slice(1, -1)} lists its entries, and each opens on a page of its own', async (t) => {
  const app = await freshApp(t);
  assertPage(await app.get(${jsString(page.path)}), 200, ${jsString(`href="${escapeHtml(href)}"`)}, 'Welcome');
  assertPage(await app.get(${jsString(href)}), 200, '<h1>Welcome</h1>', ${jsString(`← ${escapeHtml(page.name)}`)});
  assertPage(await app.get(${missing}), 404);
  assert.equal((await app.get(${outside})).status, 404);
});
`;
}

export function pageTests(pages: AppPage[], models: AppModel[], siteName: string): string {
  const tests: string[] = [];
  for (const page of pages) {
    const model = models.find((m) => m.name === page.entity);
    if (!page.path.includes(':')) tests.push(renders(page, siteName));
    if (page.kind === 'dashboard') tests.push(dashboardCounts(page, models));
    const entry =
      page.collection && pages.find((p) => p.kind === 'entry' && p.collection === page.collection);
    if (page.kind === 'content' && entry) tests.push(entriesWork(page, entry));
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
  return `${HEADER}\n${tests.filter(Boolean).join('\n')}`;
}
