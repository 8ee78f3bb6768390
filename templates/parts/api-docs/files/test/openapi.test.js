// The API describes itself: `/` names it and points at its OpenAPI 3.1 document, which documents
// every route the app serves, with schemas that match what the API stores and answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { site } from '../app/site.js';
import { models } from '../models/index.js';
import { startTestServer } from './helpers.js';
import { conformsTo, refsOf, resolveRef } from './openapi-check.js';

let app;
let doc;
before(async () => {
  app = await startTestServer();
  doc = (await app.get('/openapi.json')).body;
});
after(() => app.close());

const openapiPath = (path) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const shape = (path) => openapiPath(path).replace(/\{[^}]+\}/g, '{}');
/** The document's path item for a route, whatever its parameters are called. */
const itemFor = (path) => Object.entries(doc.paths).find(([key]) => shape(key) === shape(path))?.[1];

test('GET / names the API and says where its OpenAPI document is', async () => {
  const res = await app.get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.equal(res.body.name, site.name);
  assert.equal(res.body.docs, '/openapi.json');
  assert.equal(res.body.health, '/health');
  for (const model of models.filter((m) => m.routes.list)) {
    assert.ok(
      res.body.resources.some((r) => r.name === model.name && r.path === model.routes.list),
      `${model.name} is listed`,
    );
  }
});

test('the API has no pages: an unknown path answers JSON, not HTML', async () => {
  const res = await app.get('/nothing-here');
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.match(res.body.error, /nothing at \/nothing-here/);
});

test('the OpenAPI document is 3.1, titled after the API, and every reference in it resolves', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, site.name);
  assert.equal(typeof doc.info.version, 'string');
  for (const { ref, at } of refsOf(doc)) assert.doesNotThrow(() => resolveRef(doc, ref), at);
  const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('every templated path declares its parameters, and every operation says what it answers', () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries(item)) {
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), [...names].sort(), `${method.toUpperCase()} ${path}`);
      assert.ok(Object.keys(operation.responses).length > 0, `${method.toUpperCase()} ${path} has responses`);
    }
  }
});

test('every route of every model is documented, with the method the app answers', () => {
  const methods = {
    list: ['get'],
    get: ['get'],
    create: ['post'],
    update: ['put', 'patch'],
    delete: ['delete'],
  };
  for (const model of models) {
    for (const [action, path] of Object.entries(model.routes)) {
      const item = itemFor(path);
      assert.ok(item, `${model.name}: ${path} is documented`);
      for (const method of methods[action]) assert.ok(item[method], `${model.name}: ${method} ${path}`);
    }
    for (const counter of model.counters) assert.ok(itemFor(counter.path)?.post, counter.path);
    const schema = doc.components.schemas[model.name];
    assert.ok(schema, `${model.name} has a schema`);
    for (const field of model.fields) assert.ok(schema.properties[field.name], `${model.name}.${field.name}`);
    const input = doc.components.schemas[`${model.name}.create`];
    assert.deepEqual(
      [...(input.required ?? [])].sort(),
      model.fields
        .filter((f) => f.required)
        .map((f) => f.name)
        .sort(),
    );
  }
});

test('what the API answers conforms to the document: lists, and the errors of invalid input', async () => {
  for (const model of models) {
    if (model.routes.list) {
      const list = await app.get(model.routes.list);
      assert.equal(list.status, 200);
      conformsTo(
        doc,
        itemFor(model.routes.list).get.responses[200].content['application/json'].schema,
        list.body,
      );
    }
    if (model.routes.create) {
      const refused = await app.api('POST', model.routes.create, { notAField: 1 });
      assert.equal(refused.status, 400);
      conformsTo(
        doc,
        itemFor(model.routes.create).post.responses[400].content['application/json'].schema,
        refused.body,
      );
    }
  }
});
