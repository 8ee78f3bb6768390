import { ValidationError } from '../../../platform/errors.ts';

/** The default window of a telemetry query: the last hour. */
export const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
/** The widest window one query may span. */
export const MAX_WINDOW_MS = 31 * 24 * 60 * 60 * 1000;

export interface TimeRange {
  /** ISO strings as given (µs kept: PostgreSQL reads them, not Date). */
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

/**
 * `from`/`to` of a query (ISO, already shape-checked by the schema); either may be absent: `to`
 * defaults to now, `from` to an hour before `to`.
 */
export function resolveTimeRange(now: Date, input: { from?: string; to?: string }): TimeRange {
  const toMs = input.to ? Date.parse(input.to) : now.getTime();
  const fromMs = input.from ? Date.parse(input.from) : toMs - DEFAULT_WINDOW_MS;
  const to = input.to ?? new Date(toMs).toISOString();
  const from = input.from ?? new Date(fromMs).toISOString();
  if (!(fromMs < toMs))
    throw new ValidationError('`from` must be before `to`.', [
      { field: 'querystring.from', message: 'must be before `to`' },
    ]);
  if (toMs - fromMs > MAX_WINDOW_MS)
    throw new ValidationError('The time range may span at most 31 days; narrow `from`/`to`.', [
      { field: 'querystring.from', message: 'must be at most 31 days before `to`' },
    ]);
  return { from, to, fromMs, toMs };
}
