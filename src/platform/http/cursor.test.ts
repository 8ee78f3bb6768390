import { describe, expect, it } from 'vitest';
import { CursorShape, decodeCursor, fetchPage } from './cursor.ts';

const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));

/** A fetch over `rows` that records how many rows each call asked for. */
function source(after = 0) {
  const asked: number[] = [];
  const fetch = async (count: number) => {
    asked.push(count);
    return rows.filter((r) => r.n > after).slice(0, count);
  };
  return { asked, fetch };
}

describe('fetchPage', () => {
  it('asks for one row more than the page and gives the last shown row’s cursor when more exist', async () => {
    const { asked, fetch } = source();
    const page = await fetchPage(
      2,
      fetch,
      (r) => [r.n],
      (r) => `#${r.n}`,
    );
    expect(asked).toEqual([3]);
    expect(page.items).toEqual(['#1', '#2']);
    expect(decodeCursor(page.nextCursor!, CursorShape.number)).toEqual([2]);
  });

  it('ends with a null cursor when the rows fill the page exactly or fall short', async () => {
    const exact = await fetchPage(
      2,
      source(3).fetch,
      (r) => [r.n],
      (r) => r.n,
    );
    expect(exact).toEqual({ items: [4, 5], nextCursor: null });
    const short = await fetchPage(
      10,
      source().fetch,
      (r) => [r.n],
      (r) => r.n,
    );
    expect(short).toEqual({ items: [1, 2, 3, 4, 5], nextCursor: null });
    expect(
      await fetchPage(
        3,
        source(5).fetch,
        (r) => [r.n],
        (r) => r.n,
      ),
    ).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});
