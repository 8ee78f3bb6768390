/**
 * A structural diff producing an RFC 6902 patch, so snapshots can be compared and the rule-based
 * Architect can describe its edits as a patch. Objects are diffed key by key; arrays keep their
 * common prefix and suffix, pair the middle elements by index and remove or add the rest, which
 * turns a single insertion, removal or rename anywhere into one small operation.
 */
import type { JsonPatch, JsonPatchOp } from './apply-patch.ts';
import type { Blueprint } from './blueprint-schema.ts';
import { definedKeys, isJsonObject, jsonEqual } from './json-equal.ts';
import { formatPointer } from './json-pointer.ts';

/** The patch that turns Blueprint `a` into Blueprint `b`. */
export function diffBlueprints(a: Blueprint, b: Blueprint): JsonPatch {
  return diffJson(a, b);
}

/** The patch that turns JSON value `a` into `b` (applyJsonPatch(a, diffJson(a, b)) equals b). */
export function diffJson(a: unknown, b: unknown): JsonPatch {
  const ops: JsonPatchOp[] = [];
  diffInto(ops, [], a, b);
  return ops;
}

function diffInto(ops: JsonPatchOp[], path: (string | number)[], a: unknown, b: unknown): void {
  if (jsonEqual(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArrays(ops, path, a, b);
    return;
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    for (const key of definedKeys(a)) {
      if (b[key] === undefined) ops.push({ op: 'remove', path: formatPointer([...path, key]) });
    }
    for (const key of definedKeys(b)) {
      if (a[key] === undefined)
        ops.push({ op: 'add', path: formatPointer([...path, key]), value: clone(b[key]) });
      else diffInto(ops, [...path, key], a[key], b[key]);
    }
    return;
  }
  ops.push({ op: 'replace', path: formatPointer(path), value: clone(b) });
}

function diffArrays(ops: JsonPatchOp[], path: (string | number)[], a: unknown[], b: unknown[]): void {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && jsonEqual(a[prefix], b[prefix])) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    jsonEqual(a[a.length - 1 - suffix], b[b.length - 1 - suffix])
  ) {
    suffix++;
  }
  const aMiddle = a.length - prefix - suffix;
  const bMiddle = b.length - prefix - suffix;
  const paired = Math.min(aMiddle, bMiddle);
  for (let i = 0; i < paired; i++) diffInto(ops, [...path, prefix + i], a[prefix + i], b[prefix + i]);
  // Removals from the highest index down keep every earlier index valid.
  for (let i = aMiddle - 1; i >= paired; i--)
    ops.push({ op: 'remove', path: formatPointer([...path, prefix + i]) });
  for (let i = paired; i < bMiddle; i++) {
    ops.push({ op: 'add', path: formatPointer([...path, prefix + i]), value: clone(b[prefix + i]) });
  }
}

const clone = <T>(value: T): T => structuredClone(value);
