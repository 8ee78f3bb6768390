import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { FieldIssue } from './errors.ts';

/** A problem in a YAML file, with where it is (1-based; absent when the file has no such place). */
export interface YamlIssue extends FieldIssue {
  line?: number;
  column?: number;
}

export type YamlParseResult<T> = { success: true; data: T } | { success: false; issues: YamlIssue[] };

/**
 * Parses YAML text and validates it with a zod schema. Every problem names its field and the line
 * and column of the value it is about (a missing key: its parent; an unknown or invalid key: the key),
 * so files read from repositories (`.orchard/*.yml`) can say exactly what to fix. A syntax error
 * has field `''`. `error` is a zod error map for this parse (e.g. `readableYamlIssue`).
 */
export function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  params: { error?: z.core.$ZodErrorMap } = {},
): YamlParseResult<z.output<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => ({
      field: '',
      message: e.message.split('\n')[0] ?? e.message,
      ...at(e.pos[0]),
    }));
    return { success: false, issues };
  }
  const parsed = schema.safeParse(doc.toJS() ?? {}, params);
  if (parsed.success) return { success: true, data: parsed.data };
  const issues = parsed.error.issues.flatMap((issue): YamlIssue[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: formatYamlPath([...issue.path, key]),
        message: issue.message,
        ...at(keyOffset(doc, issue.path, key) ?? nodeOffset(doc, issue.path)),
      }));
    // A bad key of a record (`invalid_key`): point at the key, not at its value.
    const key = issue.code === 'invalid_key' ? issue.path.at(-1) : undefined;
    const offset =
      typeof key === 'string' ? keyOffset(doc, issue.path.slice(0, -1), key) : nodeOffset(doc, issue.path);
    return [
      {
        field: formatYamlPath(issue.path),
        message: issue.message,
        ...at(offset ?? nodeOffset(doc, issue.path)),
      },
    ];
  });
  return { success: false, issues };
}

/** `jobs.test.steps[0].run` */
export function formatYamlPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** `file:line:column: field: message`, the form compilers use (editors and terminals link it). */
export function formatYamlIssue(file: string, issue: YamlIssue): string {
  const where = issue.line ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return `${where}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/**
 * Messages for people editing a file rather than zod's (`Invalid input: expected number, received
 * string`): `Required`, `expected a number`, `must be one of: a, b`, `is not a known key`.
 */
export const readableYamlIssue: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type')
    return issue.input === undefined ? 'Required' : `expected ${NOUNS[issue.expected] ?? issue.expected}`;
  if (issue.code === 'invalid_value')
    return `must be one of: ${issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
  if (issue.code === 'unrecognized_keys') return 'is not a known key';
  return undefined;
};

/** The offset of the node at `path`, or of the nearest ancestor that exists. */
function nodeOffset(doc: Document, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/** The offset of `key` itself in the mapping at `path`. */
function keyOffset(doc: Document, path: readonly PropertyKey[], key: string): number | undefined {
  const map = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}
