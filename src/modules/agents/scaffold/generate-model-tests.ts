/**
 * Generates `test/<model>.test.js` for a generated app: its API's CRUD round trip, validation of
 * every field, unique fields, references, counters and custom endpoint stubs — with concrete values,
 * so the tests read as documentation of the API. Each test runs against its own fresh server.
 */

import { toKebabCase, withArticle } from '../../blueprint/index.ts';
import type { AppModel, CustomEndpoint } from './app-model.ts';
import { jsLiteral, jsString } from './js-literal.ts';
import { invalidValue, sampleRecord } from './sample-values.ts';

/** A route as a JS template literal with the record id filled in (other params get `1`). */
export function routeWith(route: string, idExpr = 'id'): string {
  // A literal id needs no template literal: '/api/photos/1'.
  if (/^\d+$/.test(idExpr))
    return jsString(route.replace(/:[A-Za-z0-9]+/g, (p) => (p === ':id' ? idExpr : '1')));
  return `\`${route.replace(/:id(?=\/|$)/, `\${${idExpr}}`).replace(/:[A-Za-z0-9]+/g, '1')}\``;
}

const HEADER = (
  name: string,
) => `// ${name}: the API's endpoints and validation, generated from the Blueprint. Run: node --test
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './helpers.js';

/** A server of its own for one test, with an empty data directory. */
async function freshApp(t) {
  const app = await startTestServer();
  t.after(() => app.close());
  return app;
}

/** Asserts that \`record\` holds every value of \`expected\`. */
function assertHolds(record, expected) {
  for (const [name, value] of Object.entries(expected)) assert.deepEqual(record[name], value, name);
}

/** Asserts an error answer naming \`field\` with a message that starts with \`message\`. */
function assertRejects(res, status, field, message) {
  assert.equal(res.status, status, res.text);
  const error = res.body.fields?.find((f) => f.field === field);
  assert.ok(error, \`expected an error about \${field}, got \${res.text}\`);
  assert.ok(error.message.startsWith(message), error.message);
}
`;

function crudTest(m: AppModel): string {
  const r = m.routes;
  const steps: string[] = [];
  if (r.create) {
    steps.push(
      `  const created = await app.api('POST', ${jsString(r.create)}, sample);`,
      '  assert.equal(created.status, 201, created.text);',
      '  assertHolds(created.body, sample);',
      '  const { id } = created.body;',
    );
    if (r.get) {
      steps.push(
        `  const read = await app.api('GET', ${routeWith(r.get)});`,
        '  assert.equal(read.status, 200);',
        '  assertHolds(read.body, sample);',
      );
    }
    if (r.update) {
      steps.push(
        `  const updated = await app.api('PUT', ${routeWith(r.update)}, changed);`,
        '  assert.equal(updated.status, 200, updated.text);',
        '  assertHolds(updated.body, changed);',
      );
    }
    if (r.list) {
      steps.push(
        `  const list = await app.api('GET', ${jsString(r.list)});`,
        '  assert.ok(list.body.items.some((item) => item.id === id));',
      );
    }
    if (r.delete) {
      steps.push(`  assert.equal((await app.api('DELETE', ${routeWith(r.delete)})).status, 204);`);
      if (r.get) steps.push(`  assert.equal((await app.api('GET', ${routeWith(r.get)})).status, 404);`);
    }
  } else {
    if (r.list)
      steps.push(`  assert.deepEqual((await app.api('GET', ${jsString(r.list)})).body, { items: [] });`);
    if (r.get) steps.push(`  assert.equal((await app.api('GET', ${routeWith(r.get, '1')})).status, 404);`);
  }
  if (!steps.length) return '';
  const what = m.actions.join(', ');
  return `test('${m.name}: ${what}', async (t) => {\n  const app = await freshApp(t);\n${steps.join('\n')}\n});\n`;
}

function validationTests(m: AppModel): string[] {
  const create = m.routes.create;
  if (!create) return [];
  const tests: string[] = [];
  for (const field of m.fields.filter((f) => f.required)) {
    tests.push(`test('${m.name}: ${field.name} is required', async (t) => {
  const app = await freshApp(t);
  const input = { ...sample };
  delete input.${field.name};
  assertRejects(await app.api('POST', ${jsString(create)}, input), 400, '${field.name}', 'is required');
});
`);
  }
  for (const field of m.fields) {
    const bad = invalidValue(field);
    tests.push(`test('${m.name}: ${field.name} must be valid ${field.type === 'ref' ? `(an existing ${field.target})` : `(${field.type})`}', async (t) => {
  const app = await freshApp(t);
  const res = await app.api('POST', ${jsString(create)}, { ...sample, ${field.name}: ${jsLiteral(bad.value)} });
  assertRejects(res, 400, '${field.name}', ${jsString(bad.message)});
});
`);
  }
  tests.push(`test('${m.name}: unknown fields and malformed JSON are refused', async (t) => {
  const app = await freshApp(t);
  assertRejects(await app.api('POST', ${jsString(create)}, { ...sample, notAField: 1 }), 400, 'notAField', 'is not a field');
  const res = await fetch(app.base + ${jsString(create)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(res.status, 400);
});
`);
  const unique = m.fields.find((f) => f.unique);
  if (unique) {
    tests.push(`test('${m.name}: ${unique.name} is unique', async (t) => {
  const app = await freshApp(t);
  assert.equal((await app.api('POST', ${jsString(create)}, sample)).status, 201);
  assertRejects(await app.api('POST', ${jsString(create)}, sample), 409, '${unique.name}', 'another');
});
`);
  }
  return tests;
}

function relationTests(m: AppModel, models: AppModel[]): string[] {
  const create = m.routes.create;
  if (!create) return [];
  return m.fields.flatMap((field) => {
    const parent = models.find((p) => p.name === field.target);
    if (field.type !== 'ref' || !parent?.routes.create) return [];
    const steps = [
      // A record that belongs to its own kind gets the other sample, so unique fields differ.
      `  const parent = await app.api('POST', ${jsString(parent.routes.create)}, ${jsLiteral(sampleRecord(parent, parent === m ? 1 : 0), '  ')});`,
      '  assert.equal(parent.status, 201, parent.text);',
      `  const child = await app.api('POST', ${jsString(create)}, { ...sample, ${field.name}: parent.body.id });`,
      '  assert.equal(child.status, 201, child.text);',
      `  assert.equal(child.body.${field.name}, parent.body.id);`,
    ];
    if (parent.routes.delete && m.routes.get) {
      steps.push(
        `  assert.equal((await app.api('DELETE', ${routeWith(parent.routes.delete, 'parent.body.id')})).status, 204);`,
        `  const orphan = await app.api('GET', ${routeWith(m.routes.get, 'child.body.id')});`,
        `  assert.equal(orphan.body.${field.name}, null);`,
      );
    }
    return [
      `test('${m.name}: belongs to ${withArticle(parent.name)} through ${field.name}', async (t) => {\n  const app = await freshApp(t);\n${steps.join('\n')}\n});\n`,
    ];
  });
}

function counterTests(m: AppModel): string[] {
  const create = m.routes.create;
  if (!create) return [];
  return m.counters.map(
    (c) => `test('${m.name}: ${c.action} adds one to ${c.field}', async (t) => {
  const app = await freshApp(t);
  const created = await app.api('POST', ${jsString(create)}, sample);
  const res = await app.api('POST', ${routeWith(c.path, 'created.body.id')});
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.${c.field}, (sample.${c.field} ?? 0) + 1);
});
`,
  );
}

export function customEndpointTests(custom: CustomEndpoint[]): string {
  return custom
    .map(
      (ep) => `test('${ep.method} ${ep.path} is not implemented yet', async (t) => {
  const app = await freshApp(t);
  const res = await app.api(${jsString(ep.method)}, ${routeWith(ep.path, '1')}${['POST', 'PUT', 'PATCH'].includes(ep.method) ? ', {}' : ''});
  assert.equal(res.status, 501, res.text);
});
`,
    )
    .join('\n');
}

export const modelTestFile = (m: AppModel) => `test/${toKebabCase(m.name)}.test.js`;

/** An API service documents its records: what the API stores and answers conforms to its OpenAPI schemas. */
function documentedTest(m: AppModel): string {
  const r = m.routes;
  if (!r.create) return '';
  const schema = (name: string) => jsString(`#/components/schemas/${name}`);
  const steps = [
    "  const doc = (await app.get('/openapi.json')).body;",
    `  conformsTo(doc, { $ref: ${schema(`${m.name}.create`)} }, sample);`,
    `  const created = await app.api('POST', ${jsString(r.create)}, sample);`,
    '  assert.equal(created.status, 201, created.text);',
    `  conformsTo(doc, { $ref: ${schema(m.name)} }, created.body);`,
  ];
  if (r.update) {
    steps.push(
      `  conformsTo(doc, { $ref: ${schema(`${m.name}.update`)} }, changed);`,
      `  conformsTo(doc, { $ref: ${schema(m.name)} }, (await app.api('PUT', ${routeWith(r.update, 'created.body.id')}, changed)).body);`,
    );
  }
  return `test('${m.name}: what the API stores and answers is what its OpenAPI document says', async (t) => {\n  const app = await freshApp(t);\n${steps.join('\n')}\n});\n`;
}

export function modelTests(
  m: AppModel,
  models: AppModel[],
  custom: CustomEndpoint[],
  { openapi = false }: { openapi?: boolean } = {},
): string {
  const data = `const sample = ${jsLiteral(sampleRecord(m, 0))};\nconst changed = ${jsLiteral(sampleRecord(m, 1))};\n`;
  const tests = [
    crudTest(m),
    ...validationTests(m),
    ...relationTests(m, models),
    ...counterTests(m),
    openapi ? documentedTest(m) : '',
  ].filter(Boolean);
  const own = custom.filter((ep) => ep.entity === m.name);
  if (own.length) tests.push(customEndpointTests(own));
  if (!tests.length) tests.push(`test('${m.name}: has no API endpoints', () => {});\n`);
  const header = openapi
    ? HEADER(m.name).replace(
        "import { startTestServer } from './helpers.js';",
        "import { startTestServer } from './helpers.js';\nimport { conformsTo } from './openapi-check.js';",
      )
    : HEADER(m.name);
  return `${header}\n${m.routes.create ? data : ''}\n${tests.join('\n')}`;
}
