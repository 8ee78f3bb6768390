import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, textProblem, unstorableInput } from './storable-input.ts';

describe('storable input', () => {
  it('accepts any well-formed text, emoji and other astral characters included', () => {
    for (const text of ['', 'plain', 'Crème brûlée', '😀𝒳', 'ǅ\u0301\u200F\uFEFF', 'tab\tnewline\n'])
      expect(textProblem(text), JSON.stringify(text)).toBeUndefined();
  });

  it('refuses NUL and lone surrogates, high or low, wherever they are', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    for (const text of ['\uD800', 'x\uDBFF', '\uDC00y', '\uDFFF\uD800', '😀\uD83D'])
      expect(textProblem(text), JSON.stringify(text)).toMatch(/surrogate/);
  });

  it('names every bad field in document order, keys included', () => {
    const body = { a: 'ok', b: ['x', 'y\u0000'], c: { 'k\uD800': 1, d: { e: '\uDC00' } } };
    expect(unstorableInput(body, 'body')).toEqual([
      { field: 'body.b.1', message: expect.stringMatching(/NUL/) },
      { field: 'body.c', message: expect.stringMatching(/^has a key that .*surrogate/) },
      { field: 'body.c.d.e', message: expect.stringMatching(/surrogate/) },
    ]);
  });

  it('stops at a depth no route accepts, without recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unstorableInput(deep, 'body')).toEqual([
      { field: `body${'.0'.repeat(MAX_JSON_DEPTH)}`, message: expect.stringMatching(/nested more than 64/) },
    ]);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) fine = { a: fine };
    expect(unstorableInput(fine, 'body')).toEqual([]);
  });

  it('walks query and route parameter objects that have no Object prototype, and leaves streams alone', () => {
    const query = Object.create(Object.create(null)) as Record<string, unknown>;
    query.project = 'a\u0000';
    expect(unstorableInput(query, 'querystring')).toEqual([
      { field: 'querystring.project', message: expect.stringMatching(/NUL/) },
    ]);
    const stream = Readable.from(['x']);
    Object.assign(stream, { label: '\u0000' });
    expect(unstorableInput(stream, 'body')).toEqual([]);
  });

  it('reports at most ten issues however many there are', () => {
    expect(
      unstorableInput(
        Array.from({ length: 100_000 }, () => '\u0000'),
        'body',
      ),
    ).toHaveLength(10);
  });
});
