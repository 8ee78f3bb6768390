import type { FieldIssue } from '../errors.ts';

/**
 * What every request's params, query and JSON body must be before any route sees them: text
 * PostgreSQL can store and JSON no deeper than anything Orchard accepts. PostgreSQL refuses NUL in
 * `text` and `jsonb`, and refuses lone UTF-16 surrogates in `jsonb` (the driver would write U+FFFD
 * in their place in `text`, silently changing the value); very deep JSON overflows the stacks that
 * walk it (JSON.stringify, zod, PostgreSQL's jsonb parser). Checked once, here, for every route, so
 * the answer is a 400 naming the field instead of a database error.
 */
export const MAX_JSON_DEPTH = 64;
const MAX_ISSUES = 10;

const NUL_MESSAGE = 'contains a NUL character (\\u0000), which cannot be stored; remove it';
const SURROGATE_MESSAGE =
  'contains a lone UTF-16 surrogate (\\uD800–\\uDFFF without its pair), which is not valid Unicode; send well-formed text';

/** In `u` mode a surrogate pair is one code point, so only a lone surrogate is category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `text` cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return undefined;
}

/**
 * Only what a JSON or query-string parser makes is walked: arrays, plain objects and objects with
 * no prototype above their own (the router and the query parser use those). Anything else (a
 * stream a route reads itself) is not input to check here.
 */
function isJsonContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/**
 * The issues of one part of a request (`params`, `querystring`, `body`), each naming its field
 * (`body.data.tool.args.0`). Walks without recursion, so no input can overflow the stack here.
 */
export function unstorableInput(value: unknown, part: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: Array<[node: unknown, field: string, depth: number]> = [[value, part, 0]];
  while (stack.length && issues.length < MAX_ISSUES) {
    const [node, field, depth] = stack.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) issues.push({ field, message: problem });
      continue;
    }
    if (!isJsonContainer(node)) continue;
    if (depth >= MAX_JSON_DEPTH) {
      issues.push({ field, message: `is nested more than ${MAX_JSON_DEPTH} levels deep; send flatter JSON` });
      continue;
    }
    const children: Array<[unknown, string, number]> = [];
    if (Array.isArray(node))
      for (let i = 0; i < node.length; i++) children.push([node[i], `${field}.${i}`, depth + 1]);
    else
      for (const key of Object.keys(node)) {
        const problem = textProblem(key);
        if (problem) issues.push({ field, message: `has a key that ${problem}` });
        else children.push([node[key], `${field}.${key}`, depth + 1]);
      }
    // Reversed onto the stack, so issues come out in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return issues;
}
