import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.ts';
import { applyBlueprintPatch, applyJsonPatch } from './apply-patch.ts';
import { emptyBlueprint } from './blueprint-schema.ts';

/** The ValidationError a call throws. */
function failure(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('applyJsonPatch (RFC 6902)', () => {
  // Examples from RFC 6902 appendix A.
  it.each([
    [
      'adds an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { foo: 'bar', baz: 'qux' },
    ],
    [
      'inserts into an array',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    ['appends with -', { foo: [1] }, [{ op: 'add', path: '/foo/-', value: 2 }], { foo: [1, 2] }],
    ['removes a member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    [
      'removes an element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'replaces a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'moves a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'moves an element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'copies a value',
      { a: { b: [1] } },
      [{ op: 'copy', from: '/a', path: '/c' }],
      { a: { b: [1] }, c: { b: [1] } },
    ],
    [
      'passes a test',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [{ op: 'test', path: '/foo', value: ['a', 2, 'c'] }],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'adds a nested object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'unescapes ~0 and ~1',
      { '/': 9, '~1': 10 },
      [
        { op: 'test', path: '/~01', value: 10 },
        { op: 'replace', path: '/~1', value: 1 },
      ],
      { '/': 1, '~1': 10 },
    ],
    ['replaces the whole document', { a: 1 }, [{ op: 'replace', path: '', value: [1] }], [1]],
  ])('%s', (_name, doc, patch, expected) => {
    const before = structuredClone(doc);
    expect(applyJsonPatch(doc, patch)).toEqual(expected);
    expect(doc).toEqual(before); // applied to a copy
  });

  it('names the failing op, its path and what is wrong', () => {
    const doc = { foo: ['bar'], n: 1 };
    const cases: [unknown[], string, string][] = [
      [[{ op: 'remove', path: '/nope' }], 'Patch op 0 (remove /nope): /nope does not exist', 'patch.0.path'],
      [
        [
          { op: 'add', path: '/n', value: 2 },
          { op: 'add', path: '/foo/5', value: 1 },
        ],
        'Patch op 1 (add /foo/5): index 5 is out of bounds (array length 1)',
        'patch.1.path',
      ],
      [
        [{ op: 'add', path: '/foo/01', value: 1 }],
        'Patch op 0 (add /foo/01): "01" is not an array index',
        'patch.0.path',
      ],
      [
        [{ op: 'replace', path: '/a/b', value: 1 }],
        'Patch op 0 (replace /a/b): /a does not exist',
        'patch.0.path',
      ],
      [
        [{ op: 'test', path: '/n', value: 2 }],
        'Patch op 0 (test /n): test failed: found 1, expected 2',
        'patch.0.path',
      ],
      [
        [{ op: 'move', from: '/foo', path: '/foo/0' }],
        'Patch op 0 (move /foo/0): from /foo cannot be moved into its own child',
        'patch.0.from',
      ],
      [
        [{ op: 'copy', from: '/x', path: '/y' }],
        'Patch op 0 (copy /y): from /x does not exist',
        'patch.0.from',
      ],
      [
        [{ op: 'add', path: 'foo', value: 1 }],
        'Patch op 0 (add foo): "foo" must be empty or start with /',
        'patch.0.path',
      ],
      [
        [{ op: 'add', path: '/n/x', value: 1 }],
        'Patch op 0 (add /n/x): /n is not an object or array',
        'patch.0.path',
      ],
      [
        [{ op: 'remove', path: '' }],
        'Patch op 0 (remove ): cannot remove the whole document',
        'patch.0.path',
      ],
    ];
    for (const [patch, message, field] of cases) {
      const err = failure(() => applyJsonPatch(doc, patch));
      expect(err.message).toBe(message);
      expect(err.issues[0]?.field).toBe(field);
    }
  });

  it('refuses malformed operations before applying any', () => {
    expect(failure(() => applyJsonPatch({}, { op: 'add' })).message).toBe(
      'A JSON Patch must be an array of operations',
    );
    const unknownOp = failure(() =>
      applyJsonPatch({}, [
        { op: 'add', path: '/a', value: 1 },
        { op: 'merge', path: '/a' },
      ]),
    );
    expect(unknownOp.issues[0]?.field).toBe('patch.1.op');
    const noValue = failure(() => applyJsonPatch({}, [{ op: 'replace', path: '/a' }]));
    expect(noValue.message).toBe('Patch is malformed: patch.0.value: is required');
  });

  it('cannot reach an object prototype', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as object;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });
});

describe('applyBlueprintPatch', () => {
  it('returns the validated, patched Blueprint', () => {
    const bp = applyBlueprintPatch(emptyBlueprint(), [
      { op: 'replace', path: '/feature', value: 'Gallery' },
      {
        op: 'add',
        path: '/sections/dataModel/entities/-',
        value: { name: 'Photo', fields: [{ name: 'title', type: 'text' }] },
      },
    ]);
    expect(bp.feature).toBe('Gallery');
    // Defaults are filled in by the schema.
    expect(bp.sections.dataModel.entities[0]).toEqual({
      name: 'Photo',
      fields: [{ name: 'title', type: 'text', required: false }],
      relations: [],
    });
  });

  it('refuses a result that breaks the schema, naming the path and the op that caused it', () => {
    const start = applyBlueprintPatch(emptyBlueprint(), [
      { op: 'add', path: '/sections/dataModel/entities/-', value: { name: 'Photo' } },
    ]);
    const err = failure(() =>
      applyBlueprintPatch(start, [
        { op: 'replace', path: '/feature', value: 'ok' },
        {
          op: 'add',
          path: '/sections/pages/-',
          value: { name: 'Wall', path: '/wall', kind: 'list', entity: 'Picture' },
        },
      ]),
    );
    expect(err.message).toBe(
      'Patch makes the Blueprint invalid: sections.pages.0.entity: no entity named Picture (entities: Photo) (after op 1: add /sections/pages/-)',
    );
    expect(err.issues[0]?.field).toBe('sections.pages.0.entity');
    expect(
      failure(() => applyBlueprintPatch(start, [{ op: 'remove', path: '/schemaVersion' }])).message,
    ).toMatch(/^Patch makes the Blueprint invalid: schemaVersion: .*\(after op 0: remove \/schemaVersion\)$/);
  });
});
