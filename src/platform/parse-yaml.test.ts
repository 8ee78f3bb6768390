import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatYamlIssue, parseYaml, readableYamlIssue } from './parse-yaml.ts';

const Schema = z.strictObject({
  name: z.string(),
  items: z.array(z.strictObject({ size: z.number(), kind: z.enum(['a', 'b']) })),
});

describe('parseYaml', () => {
  it('returns the data when it fits the schema', () => {
    expect(parseYaml('name: x\nitems: [{ size: 1, kind: a }]\n', Schema)).toEqual({
      success: true,
      data: { name: 'x', items: [{ size: 1, kind: 'a' }] },
    });
  });

  it('places a wrong value at the value, a missing key at its parent, an unknown key at the key', () => {
    const result = parseYaml(
      'name: x\nitems:\n  - size: big\n    kind: a\n  - kind: c\n    colour: red\n',
      Schema,
      { error: readableYamlIssue },
    );
    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.issues;
    expect(issues).toEqual([
      { field: 'items[0].size', message: 'expected a number', line: 3, column: 11 },
      { field: 'items[1].size', message: 'Required', line: 5, column: 5 },
      { field: 'items[1].kind', message: 'must be one of: a, b', line: 5, column: 11 },
      { field: 'items[1].colour', message: 'is not a known key', line: 6, column: 5 },
    ]);
    expect(formatYamlIssue('f.yml', issues[0]!)).toBe('f.yml:3:11: items[0].size: expected a number');
  });

  it('reports a syntax error with its place and no field', () => {
    const result = parseYaml('name: x\nitems: [\n', Schema);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.issues[0]).toMatchObject({
        field: '',
        line: expect.any(Number),
        column: expect.any(Number),
      });
      expect(formatYamlIssue('f.yml', result.issues[0]!)).toMatch(/^f\.yml:\d+:\d+: \S/);
    }
  });

  it('names no place for a problem with the whole of an empty file', () => {
    const result = parseYaml('', Schema, { error: readableYamlIssue });
    expect(result.success ? [] : result.issues.map((i) => formatYamlIssue('f.yml', i))).toEqual([
      'f.yml: name: Required',
      'f.yml: items: Required',
    ]);
  });
});
