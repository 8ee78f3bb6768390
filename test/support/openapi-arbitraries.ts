import fc from 'fast-check';

/**
 * fast-check arbitraries for the requests an OpenAPI operation accepts: values shaped by the
 * operation's JSON Schemas (so requests get past validation to the code behind it), known-good
 * values where a schema alone cannot reach a row (the seeded project's slug, an existing issue
 * number), and hostile values mixed into either (NUL, lone surrogates, numbers past PostgreSQL's
 * integer types, `%00`, `../`, very long strings, wrong types, missing and extra fields, deep nesting).
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  method: string;
  /** `/api/projects/{slug}/issues/{number}` */
  path: string;
  parameters: OpenApiParameter[];
  body?: JsonSchema;
}

/** Every operation of an OpenAPI 3 document. */
export function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): OpenApiOperation[] {
  const operations: OpenApiOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as OpenApiParameter[] | undefined) ?? [],
        body: content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** Known-good values for a parameter or body member, by name and the operation's path. */
export type Hints = (name: string, path: string) => readonly unknown[];

/**
 * A string PostgreSQL, a URL parser or a file system may choke on. `\uD800` alone is a lone
 * surrogate: JSON carries it as an escape, PostgreSQL's jsonb refuses it and text columns would
 * store U+FFFD in its place.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '%00',
  '%',
  '../../../../etc/passwd',
  '..',
  '.',
  'a/../../b',
  '..\\..\\win.ini',
  '',
  ' ',
  '\t\r\n',
  'x'.repeat(70_000),
  '😀𝒳 ǅ\u0301\u200F\uFEFF',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a pipeline-expression lookalike, on purpose
  '${{ secrets.X }}',
  '\r\nX-Injected: 1',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '2147483648',
  '99999999999',
  '9223372036854775808',
  '1e400',
  '0x1F',
  '1.5',
  'null',
  '[]',
  '__proto__',
  'constructor',
  'toString',
  '--help',
  '--output=/tmp/orchard-fuzz',
  '-n1',
  'HEAD~99999',
  'main^{tree}',
  '@{-1}',
  '...',
  '.git/config',
  'refs/heads/../../config',
];

/** The ones PostgreSQL and plain-object lookups choke on, drawn more often than the rest. */
export const SHARP_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '2147483648',
  '99999999999',
  '9223372036854775808',
  '-1',
  'constructor',
  '__proto__',
];

/** A hostile string, the sharp ones as likely as all the others together. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SHARP_STRINGS),
  fc.constantFrom(...HOSTILE_STRINGS),
);

export const HOSTILE_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  2_147_483_647,
  2_147_483_648,
  99_999_999_999,
  Number.MAX_SAFE_INTEGER,
  2 ** 63,
  1e308,
  -1e308,
  1.5,
];

/** Percent-encodings to put in a path or query as they are: NUL, invalid UTF-8, a bad escape. */
export const RAW_ENCODINGS: readonly string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  '%C0%AF',
  '%zz',
  '..%2F..',
  '%2e%2e',
];

function nest(depth: number, leaf: unknown, asObject: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      nest(500, 'leaf', false),
      nest(500, '\u0000', true),
      JSON.parse('{"__proto__":{"admin":true}}'),
      { constructor: { prototype: { polluted: true } } },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Whole bodies as raw text: not JSON, not an object, or nested far deeper than anything accepts. */
export const HOSTILE_RAW_BODIES: readonly { contentType: string; text: string }[] = [
  { contentType: 'application/json', text: '{' },
  { contentType: 'application/json', text: '' },
  { contentType: 'application/json', text: 'null' },
  { contentType: 'application/json', text: '[]' },
  { contentType: 'application/json', text: '"text"' },
  { contentType: 'application/json', text: '12345678901234567890' },
  { contentType: 'application/json', text: '{"a":"\\u0000","b":"\\ud800"}' },
  { contentType: 'application/json', text: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}' },
  { contentType: 'application/json', text: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { contentType: 'application/json', text: `{"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}` },
  { contentType: 'text/plain', text: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', text: 'a=%00&b=1' },
];

const LIMIT = { string: 40, array: 4 };

/** Values a schema accepts (or nearly: patterns and formats are followed where fast-check can). */
export function fromSchema(
  schema: JsonSchema,
  hints: readonly unknown[] = [],
  depth = 0,
): fc.Arbitrary<unknown> {
  const shaped = shapedBy(schema, depth);
  if (!hints.length) return shaped;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hints) }, { weight: 2, arbitrary: shaped });
}

function shapedBy(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => shapedBy(s, depth)));
  if (schema.allOf?.length) return shapedBy(Object.assign({}, ...schema.allOf), depth);
  const types = [schema.type ?? (schema.properties ? 'object' : undefined)].flat().filter(Boolean);
  if (!types.length) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...types.map((type) => ofType(type as string, schema, depth)));
}

function ofType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringOf(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_001) + 1, -1_000_000);
      const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum ?? 1_000_001) - 1, 1_000_000);
      return fc.integer({ min, max: Math.max(min, max) });
    }
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const items = schema.items ? shapedBy(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(items, {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? LIMIT.array, LIMIT.array)),
      });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = schema.properties ?? {};
      if (!Object.keys(properties).length) {
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = shapedBy(value, depth + 1);
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? LIMIT.string, LIMIT.string));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc.emailAddress();
    case 'date-time':
      return fc
        .date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    case 'uri':
      return fc.webUrl();
  }
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= Math.max(maxLength, 1) * 4);
    } catch {
      // A pattern JavaScript cannot compile: fall back to any text.
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/**
 * Puts one hostile change into a JSON value: replace a node with a hostile value or a value of
 * another type, drop an object member (a missing field), or add one (an extra field).
 */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('replace', 'delete', 'extra', 'wrongType'),
      hostileValue,
      fc.constantFrom('extra', '__proto__', 'constructor', 'a\u0000', '\uD800', ''),
    )
    .map(([value, pick, how, hostile, extraKey]) => mutate(value, pick, how, hostile, extraKey));
}

type Slot = { parent: Record<string, unknown> | unknown[] | undefined; key: string | number; node: unknown };

function mutate(value: unknown, pick: number, how: string, hostile: unknown, extraKey: string): unknown {
  const root = { value: structuredClone(value) } as Record<string, unknown>;
  const slots: Slot[] = [];
  const visit = (parent: Slot['parent'], key: string | number, node: unknown, depth: number) => {
    slots.push({ parent, key, node });
    if (depth > 6 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) visit(node, i, node[i], depth + 1);
    else
      for (const [k, child] of Object.entries(node))
        visit(node as Record<string, unknown>, k, child, depth + 1);
  };
  visit(root, 'value', root.value, 0);
  const slot = slots[pick % slots.length]!;
  const set = (v: unknown) => {
    if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = v;
    else if (slot.parent)
      Object.defineProperty(slot.parent, slot.key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  };
  switch (how) {
    case 'replace':
      set(hostile);
      break;
    case 'wrongType':
      set(
        typeof slot.node === 'string'
          ? 12345
          : typeof slot.node === 'number'
            ? String(slot.node)
            : Array.isArray(slot.node)
              ? { not: 'an array' }
              : typeof slot.node === 'object' && slot.node !== null
                ? ['not', 'an', 'object']
                : 'text',
      );
      break;
    case 'delete':
      if (slot.parent && !Array.isArray(slot.parent) && slot.parent !== root)
        delete slot.parent[slot.key as string];
      else set(undefined);
      break;
    case 'extra':
      if (typeof slot.node === 'object' && slot.node !== null && !Array.isArray(slot.node))
        Object.defineProperty(slot.node, extraKey, {
          value: hostile,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else if (Array.isArray(slot.node)) slot.node.push(hostile);
      else set(hostile);
      break;
  }
  return root.value;
}

/** Percent-encodes a path segment or query value; a lone surrogate goes out as the bytes WTF-8 would use. */
export function encodeComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}
