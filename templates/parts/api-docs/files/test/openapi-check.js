// Test helpers (no tests here): references and the subset of JSON Schema the OpenAPI document uses.
import assert from 'node:assert/strict';

/** Resolves a local `$ref` such as `#/components/schemas/Photo` in `doc`. */
export function resolveRef(doc, ref) {
  assert.match(ref, /^#\//, `${ref} is not a local reference`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  assert.ok(node, `${ref} does not resolve`);
  return node;
}

/** Every `$ref` in a document, with where it is. */
export function refsOf(node, at = '#', found = []) {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) refsOf(child, `${at}/${i}`, found);
  } else if (node && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref') found.push({ ref: child, at });
      else refsOf(child, `${at}/${key}`, found);
    }
  }
  return found;
}

const typeOf = (v) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Asserts that `value` conforms to `schema` (types, enums, consts, required members, items). */
export function conformsTo(doc, schema, value, at = '') {
  if (schema.$ref) return conformsTo(doc, resolveRef(doc, schema.$ref), value, at);
  const types = [schema.type ?? []].flat();
  const actual = typeOf(value);
  if (types.length)
    assert.ok(
      types.includes(actual) || (actual === 'integer' && types.includes('number')),
      `${at || 'the value'} is ${actual}, the document says ${types.join(' or ')}`,
    );
  if (schema.enum)
    assert.ok(schema.enum.includes(value), `${at} ${JSON.stringify(value)} is not in the enum`);
  if (schema.const !== undefined) assert.deepEqual(value, schema.const, at);
  if (actual === 'object') {
    for (const name of schema.required ?? [])
      assert.ok(Object.hasOwn(value, name), `${at}.${name} is missing`);
    for (const [name, sub] of Object.entries(schema.properties ?? {}))
      if (Object.hasOwn(value, name)) conformsTo(doc, sub, value[name], `${at}.${name}`);
  }
  if (actual === 'array' && schema.items)
    for (const [i, item] of value.entries()) conformsTo(doc, schema.items, item, `${at}[${i}]`);
}
