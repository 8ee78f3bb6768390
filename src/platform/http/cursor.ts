import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { INT4_MAX } from './int-params.ts';
import { TimestampParam } from './timestamp-param.ts';

/** Opaque keyset cursors: base64url of a JSON tuple, e.g. [createdAt, id]. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * What each kind of cursor holds. A cursor comes back from the client, so it is input like any
 * other: decoding checks it against its shape before any value reaches SQL.
 */
export const CursorShape = {
  /** `[createdAt, id]` of rows paged by time and UUID (projects, users, operations, Blueprints, …). */
  timeAndId: z.tuple([TimestampParam, z.uuid()]),
  /** `[startedAt, id]` of rows paged by time and a `bigint` id (LLM calls). */
  timeAndSerial: z.tuple([TimestampParam, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]),
  /** `[number]` of rows paged by an `integer` (issues, merge requests, pipelines, snapshot versions). */
  number: z.tuple([z.number().int().min(0).max(INT4_MAX)]),
  /** `[id]` of rows paged by a `bigint` id (audit entries, pushes). */
  serial: z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]),
  /** `[sha, skip]` of a commit listing pinned to its head. */
  commits: z.tuple([z.string().regex(/^[0-9a-f]{4,64}$/), z.number().int().min(0).max(INT4_MAX)]),
} as const;

export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {}
  const parsed = shape.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError('The cursor is not valid; pass back a nextCursor from a previous page.', [
    { field: 'querystring.cursor', message: 'is not a cursor this server issued' },
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

/**
 * One page of a keyset listing, and the one place that asks for `limit + 1` rows: `fetch` gets the
 * number of rows to read (one more than the page holds, to tell whether a next page exists) and
 * returns them in page order; `key` gives the cursor values of a row, `map` its view.
 */
export async function fetchPage<R, T>(
  limit: number,
  fetch: (rows: number) => Promise<R[]>,
  key: (row: R) => unknown[],
  map: (row: R) => T,
): Promise<Page<T>> {
  return toPage(await fetch(limit + 1), limit, key, map);
}

/** Given rows fetched with LIMIT n+1, returns a page and the cursor for the next one. */
function toPage<R, T>(rows: R[], limit: number, key: (row: R) => unknown[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { items: slice.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
