import { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** Opaque keyset cursors: base64url of a JSON tuple, e.g. [createdAt, id]. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value)) return value;
  } catch {}
  throw new ValidationError('The cursor is not valid; pass back a nextCursor from a previous page.', [
    { field: 'query.cursor', message: 'is not a cursor this server issued' },
  ]);
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Given rows fetched with LIMIT n+1, returns a page and the cursor for the next one. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => unknown[],
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { items: slice.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
