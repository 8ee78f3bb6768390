import { ValidationError } from '../../../platform/errors.ts';

/** The lowest OTLP SeverityNumber of each named level (1–4 trace … 21–24 fatal). */
export const SEVERITY_LEVELS = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;
type SeverityName = keyof typeof SEVERITY_LEVELS;

/** `severity` of a log search: a number 0–24 or a level name (`warn`, `WARNING`, `err` are accepted). */
export function parseMinSeverity(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,2}$/.test(value) && Number(value) <= 24) return Number(value);
  const name = value.toLowerCase();
  const alias: Record<string, SeverityName> = { warning: 'warn', err: 'error', critical: 'fatal' };
  const level = (SEVERITY_LEVELS as Record<string, number>)[alias[name] ?? name];
  if (level !== undefined) return level;
  throw new ValidationError(
    'Unknown severity; use a number 0–24 or one of trace, debug, info, warn, error, fatal.',
    [{ field: 'querystring.severity', message: 'must be 0–24 or trace|debug|info|warn|error|fatal' }],
  );
}
