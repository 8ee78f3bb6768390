/**
 * RFC 6902 JSON Patch, implemented here so errors can name the operation that failed. Patches are
 * applied to a deep copy; a Blueprint patch is all-or-nothing and its result must pass the schema.
 */
import { z } from 'zod';
import { ValidationError } from '../../platform/errors.ts';
import { type Blueprint, Blueprint as BlueprintSchema, blueprintIssues } from './blueprint-schema.ts';
import { isJsonObject, jsonEqual } from './json-equal.ts';
import { formatPointer, PointerError, parsePointer } from './json-pointer.ts';

const Value = z.unknown().refine((v): boolean => v !== undefined, 'is required');
const Pointer = z.string().max(1000);
export const JsonPatchOp = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: Pointer, value: Value }),
  z.strictObject({ op: z.literal('remove'), path: Pointer }),
  z.strictObject({ op: z.literal('replace'), path: Pointer, value: Value }),
  z.strictObject({ op: z.literal('move'), from: Pointer, path: Pointer }),
  z.strictObject({ op: z.literal('copy'), from: Pointer, path: Pointer }),
  z.strictObject({ op: z.literal('test'), path: Pointer, value: Value }),
]);
export type JsonPatchOp = z.infer<typeof JsonPatchOp>;
export const JsonPatch = z.array(JsonPatchOp).max(2000);
export type JsonPatch = JsonPatchOp[];

/** Raised inside one operation; turned into a ValidationError that names the op and its member. */
class OpError extends Error {
  constructor(
    message: string,
    readonly member: 'path' | 'from' = 'path',
  ) {
    super(message);
  }
}

/** Validates the shape of a patch, naming the op index of the first problems. */
export function parseJsonPatch(raw: unknown): JsonPatch {
  if (!Array.isArray(raw)) throw new ValidationError('A JSON Patch must be an array of operations');
  const result = JsonPatch.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: ['patch', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new ValidationError(`Patch is malformed: ${first?.field}: ${first?.message}`, issues);
}

/** Applies a patch to a deep copy of `doc` and returns the new document. */
export function applyJsonPatch(doc: unknown, rawPatch: unknown): unknown {
  const patch = parseJsonPatch(rawPatch);
  let root = structuredClone(doc);
  patch.forEach((op, index) => {
    try {
      root = applyOp(root, op);
    } catch (err) {
      if (!(err instanceof OpError || err instanceof PointerError)) throw err;
      const member = err instanceof OpError ? err.member : 'path';
      throw new ValidationError(`Patch op ${index} (${op.op} ${op.path}): ${err.message}`, [
        { field: `patch.${index}.${member}`, message: err.message },
      ]);
    }
  });
  return root;
}

/**
 * Applies a patch to a Blueprint; the result must be a valid Blueprint. Schema issues are reported
 * with the index of the last op that touched the offending path.
 */
export function applyBlueprintPatch(blueprint: Blueprint, rawPatch: unknown): Blueprint {
  const patch = parseJsonPatch(rawPatch);
  const result = BlueprintSchema.safeParse(applyJsonPatch(blueprint, patch));
  if (result.success) return result.data;
  const issues = blueprintIssues(result.error).map((issue) => {
    const index = lastOpTouching(patch, issue.field === '(blueprint)' ? [] : issue.field.split('.'));
    if (index < 0) return issue;
    const op = patch[index]!;
    return { ...issue, message: `${issue.message} (after op ${index}: ${op.op} ${op.path})` };
  });
  const listed = issues
    .slice(0, 5)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
  throw new ValidationError(`Patch makes the Blueprint invalid: ${listed}`, issues);
}

function lastOpTouching(patch: JsonPatch, issuePath: string[]): number {
  const related = (pointer: string) => {
    const tokens = parsePointer(pointer);
    const n = Math.min(tokens.length, issuePath.length);
    return tokens
      .slice(0, n)
      .every((t, i) => t === issuePath[i] || (t === '-' && /^\d+$/.test(issuePath[i]!)));
  };
  for (let i = patch.length - 1; i >= 0; i--) {
    const op = patch[i]!;
    if (op.op !== 'test' && related(op.path)) return i;
  }
  return -1;
}

function applyOp(root: unknown, op: JsonPatchOp): unknown {
  const path = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      return add(root, path, structuredClone(op.value));
    case 'remove':
      return remove(root, path);
    case 'replace':
      return replace(root, path, structuredClone(op.value));
    case 'move': {
      const from = parsePointer(op.from);
      if (op.from === op.path) return root;
      if (from.length < path.length && from.every((t, i) => t === path[i])) {
        throw new OpError(`from ${op.from} cannot be moved into its own child`, 'from');
      }
      const value = get(root, from, 'from');
      return add(remove(root, from), path, value);
    }
    case 'copy':
      return add(root, path, structuredClone(get(root, parsePointer(op.from), 'from')));
    case 'test': {
      const actual = get(root, path);
      if (!jsonEqual(actual, op.value)) {
        throw new OpError(`test failed: found ${preview(actual)}, expected ${preview(op.value)}`);
      }
      return root;
    }
  }
}

function get(root: unknown, tokens: string[], member: 'path' | 'from' = 'path'): unknown {
  let node = root;
  tokens.forEach((token, depth) => {
    const where = formatPointer(tokens.slice(0, depth + 1));
    const missing = () => new OpError(`${member === 'from' ? 'from ' : ''}${where} does not exist`, member);
    if (Array.isArray(node)) {
      if (!isIndex(token) || Number(token) >= node.length) throw missing();
      node = node[Number(token)];
    } else if (isJsonObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw missing();
  });
  return node;
}

function parentOf(root: unknown, tokens: string[]): { parent: object; key: string } {
  const parent = get(root, tokens.slice(0, -1));
  if (typeof parent !== 'object' || parent === null) {
    throw new OpError(`${formatPointer(tokens.slice(0, -1))} is not an object or array`);
  }
  return { parent, key: tokens[tokens.length - 1]! };
}

function add(root: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(root, tokens);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else parent.splice(arrayIndex(parent, key, true), 0, value);
  } else {
    // Own data property even for "__proto__", so a patch can never reach a prototype.
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

function replace(root: unknown, tokens: string[], value: unknown): unknown {
  get(root, tokens);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(root, tokens);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function remove(root: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new OpError('cannot remove the whole document');
  const { parent, key } = parentOf(root, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (Object.hasOwn(parent, key)) delete (parent as Record<string, unknown>)[key];
  else throw new OpError(`${formatPointer(tokens)} does not exist`);
  return root;
}

const isIndex = (token: string) => /^(0|[1-9]\d*)$/.test(token);

function arrayIndex(array: unknown[], token: string, forInsert: boolean): number {
  if (!isIndex(token)) throw new OpError(`"${token}" is not an array index`);
  const index = Number(token);
  const max = forInsert ? array.length : array.length - 1;
  if (index > max) throw new OpError(`index ${index} is out of bounds (array length ${array.length})`);
  return index;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
