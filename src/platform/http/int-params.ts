import { z } from 'zod';

/** The largest PostgreSQL `integer`: issue, merge request and pipeline numbers, Blueprint versions, log offsets. */
export const INT4_MAX = 2_147_483_647;

/**
 * A whole number from a path or a query string, bounded to the `integer` column it is compared
 * with: a larger one is a 400 naming the parameter, not a database error.
 */
export const int4 = (min: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(INT4_MAX, `must be at most ${INT4_MAX}`);

/** The same for `bigint` ids (events, audit entries): bounded to what a JavaScript number holds exactly. */
export const int8 = (min: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER, `must be at most ${Number.MAX_SAFE_INTEGER}`);
