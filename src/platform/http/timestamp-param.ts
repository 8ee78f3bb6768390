import { z } from 'zod';

/**
 * An ISO 8601 date and time (`2024-05-31T14:30:00Z`, an offset allowed) that PostgreSQL's
 * `timestamptz` takes: the ISO pattern alone lets year 0000 through, which PostgreSQL refuses.
 */
export const TimestampParam = z.iso
  .datetime({ offset: true, error: 'must be a date and time like 2024-05-31T14:30:00Z' })
  .refine((value) => !value.startsWith('0000'), 'must be in year 1 or later');
