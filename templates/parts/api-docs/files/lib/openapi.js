/**
 * The app's OpenAPI 3.1 document, built from what the app serves: the models (their fields,
 * validation and routes), their counters and the custom endpoints. Edit models/ and the document
 * follows. Schemas are named `Photo` (a stored record), `Photo.create` and `Photo.update` (what a
 * client sends) and `error`; entity names are PascalCase, so none of these can collide.
 */

const OPENAPI = '3.1.0';
const SYSTEM_FIELDS = {
  id: { type: 'integer', readOnly: true },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
};
const TYPES = {
  text: { type: 'string', maxLength: 1000 },
  longtext: { type: 'string', maxLength: 20000 },
  number: { type: 'number' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  email: { type: 'string', format: 'email', maxLength: 254 },
  url: { type: 'string', format: 'uri', pattern: '^https?://' },
};

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ 'application/json': { schema } });
const problem = (description) => ({ description, content: json(ref('error')) });

/** A field's JSON Schema; optional fields may be null (booleans are false instead). */
function fieldSchema(field) {
  const schema =
    field.type === 'enum'
      ? { type: 'string', enum: [...field.values] }
      : field.type === 'ref'
        ? { type: 'integer', description: `The id of a ${field.target}` }
        : { ...TYPES[field.type] };
  if (field.label) schema.title = field.label;
  if (field.required || field.type === 'boolean') return schema;
  return { ...schema, type: [schema.type, 'null'], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) };
}

function modelSchemas(model) {
  const properties = Object.fromEntries(model.fields.map((f) => [f.name, fieldSchema(f)]));
  const required = model.fields.filter((f) => f.required).map((f) => f.name);
  const described = model.description ? { description: model.description } : {};
  return {
    [model.name]: {
      type: 'object',
      ...described,
      required: ['id', 'createdAt', 'updatedAt', ...required],
      properties: { ...SYSTEM_FIELDS, ...properties },
    },
    [`${model.name}.create`]: {
      type: 'object',
      description: `A new ${model.title.toLowerCase()}. Other fields than these are refused.`,
      ...(required.length ? { required } : {}),
      properties,
    },
    [`${model.name}.update`]: {
      type: 'object',
      description: 'The fields to change; fields not sent stay as they are.',
      properties,
    },
  };
}

/** `/api/photos/:id` → `/api/photos/{id}`, and the names of its parameters. */
function templated(path) {
  const names = [];
  const openapi = path.replace(/:([A-Za-z0-9_]+)/g, (_, name) => {
    names.push(name);
    return `{${name}}`;
  });
  return { openapi, names };
}

const pathParameter = (name) => ({
  name,
  in: 'path',
  required: true,
  schema: name === 'id' ? { type: 'integer' } : { type: 'string' },
});

/** The paths of a document, merging operations that share a path (`/api/photos/{id}`: get, put …). */
class Paths {
  #items = {};
  #canonical = new Map();
  #operationIds = new Set();

  add(method, path, operation) {
    const { openapi, names } = templated(path);
    // Paths that differ only in their parameters' names are one path to OpenAPI: keep the first.
    const shape = openapi.replace(/\{[^}]+\}/g, '{}');
    if (!this.#canonical.has(shape)) this.#canonical.set(shape, { key: openapi, names });
    const { key, names: keyNames } = this.#canonical.get(shape);
    this.#items[key] ??= {};
    const item = this.#items[key];
    const verb = method.toLowerCase();
    if (item[verb]) return; // the router answers with the route added first, so does the document
    let id = operation.operationId;
    for (let n = 2; this.#operationIds.has(id); n++) id = `${operation.operationId}${n}`;
    this.#operationIds.add(id);
    const parameters = [...keyNames.map(pathParameter), ...(operation.parameters ?? [])];
    item[verb] = { ...operation, operationId: id, ...(parameters.length ? { parameters } : {}) };
  }

  toJSON() {
    return this.#items;
  }
}

function modelOperations(paths, model) {
  const { routes, name, label, title } = model;
  const one = title.toLowerCase();
  const tags = [name];
  const notFound = { 404: problem(`There is no such ${one}`) };
  const invalid = {
    400: problem('The input is invalid; `fields` names each problem'),
    409: problem('A unique field already has this value'),
  };
  if (routes.list) {
    const filters = model.fields
      .filter((f) => f.type !== 'longtext')
      .map((f) => ({
        name: f.name,
        in: 'query',
        required: false,
        description: `Only ${label.toLowerCase()} whose ${f.label.toLowerCase()} is this value`,
        schema: { type: 'string' },
      }));
    paths.add('GET', routes.list, {
      operationId: `list${name}`,
      summary: `List ${label.toLowerCase()}`,
      tags,
      ...(filters.length ? { parameters: filters } : {}),
      responses: {
        200: {
          description: `The ${label.toLowerCase()}`,
          content: json({
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref(name) } },
          }),
        },
      },
    });
  }
  if (routes.create) {
    paths.add('POST', routes.create, {
      operationId: `create${name}`,
      summary: `Create a ${one}`,
      tags,
      requestBody: { required: true, content: json(ref(`${name}.create`)) },
      responses: {
        201: {
          description: `The ${one}, as stored`,
          ...(routes.get
            ? { headers: { Location: { description: 'Where it lives', schema: { type: 'string' } } } }
            : {}),
          content: json(ref(name)),
        },
        ...invalid,
        415: problem('The body is not JSON'),
      },
    });
  }
  if (routes.get) {
    paths.add('GET', routes.get, {
      operationId: `get${name}`,
      summary: `Get one ${one}`,
      tags,
      responses: { 200: { description: `The ${one}`, content: json(ref(name)) }, ...notFound },
    });
  }
  if (routes.update) {
    for (const method of ['PUT', 'PATCH']) {
      paths.add(method, routes.update, {
        operationId: `${method === 'PUT' ? 'update' : 'patch'}${name}`,
        summary: `Change a ${one} (only the fields sent)`,
        tags,
        requestBody: { required: true, content: json(ref(`${name}.update`)) },
        responses: {
          200: { description: `The ${one}, changed`, content: json(ref(name)) },
          ...invalid,
          ...notFound,
        },
      });
    }
  }
  if (routes.delete) {
    paths.add('DELETE', routes.delete, {
      operationId: `delete${name}`,
      summary: `Delete a ${one}`,
      tags,
      responses: { 204: { description: 'Deleted' }, ...notFound },
    });
  }
  for (const counter of model.counters) {
    paths.add('POST', counter.path, {
      operationId: `${counter.action}${name}`,
      summary: `Add one to the ${counter.field} of a ${one}`,
      tags,
      responses: { 200: { description: `The ${one}, counted`, content: json(ref(name)) }, ...notFound },
    });
  }
}

/** The document for the app's models, custom endpoints and site (its name and summary). */
export function openApiDocument({ site, models, customEndpoints }) {
  const paths = new Paths();
  paths.add('GET', '/', {
    operationId: 'describeApi',
    summary: 'What this API is, and where its documents are',
    tags: ['service'],
    responses: { 200: { description: 'The API', content: json({ type: 'object' }) } },
  });
  paths.add('GET', '/health', {
    operationId: 'health',
    summary: 'Liveness',
    tags: ['service'],
    responses: {
      200: {
        description: 'The app is up',
        content: json({ type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }),
      },
    },
  });
  paths.add('GET', '/openapi.json', {
    operationId: 'openApiDocument',
    summary: 'This document',
    tags: ['service'],
    responses: { 200: { description: 'The OpenAPI document', content: json({ type: 'object' }) } },
  });
  for (const model of models) modelOperations(paths, model);
  customEndpoints.forEach((endpoint, i) => {
    paths.add(endpoint.method, endpoint.path, {
      operationId: `custom${i + 1}`,
      summary: endpoint.description || `${endpoint.method} ${endpoint.path}`,
      tags: ['custom'],
      ...(['POST', 'PUT', 'PATCH'].includes(endpoint.method)
        ? { requestBody: { required: false, content: json({ type: 'object' }) } }
        : {}),
      // A written endpoint says what it answers (see app/custom-endpoints.js); a stub answers 501.
      responses: endpoint.responses ?? { 501: problem('Not implemented yet') },
    });
  });
  const schemas = {
    error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: { type: 'string', description: 'What went wrong, in words' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  };
  for (const model of models) Object.assign(schemas, modelSchemas(model));
  return {
    openapi: OPENAPI,
    info: { title: site.name, version: '0.1.0', ...(site.summary ? { description: site.summary } : {}) },
    servers: [{ url: '/', description: 'This app, wherever it runs' }],
    // Anyone who can reach the app may call it: there is no authentication to describe.
    security: [],
    tags: [
      { name: 'service', description: 'The service itself' },
      ...models.map((m) => ({
        name: m.name,
        description: m.description || `${m.label}: the records and their endpoints`,
      })),
      ...(customEndpoints.length ? [{ name: 'custom', description: 'Endpoints written by hand' }] : []),
    ],
    paths: paths.toJSON(),
    components: { schemas },
  };
}
