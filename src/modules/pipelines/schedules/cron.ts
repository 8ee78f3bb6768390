/**
 * A small cron parser: five fields (minute hour day-of-month month day-of-week) with `*`, lists,
 * ranges and steps, plus @hourly/@daily/@weekly/@monthly/@yearly. Times are UTC.
 */
import { lookupTable } from '../../../platform/lookup-table.ts';
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: a day matches when either does (classic cron). */
  dayOr: boolean;
}

const ALIASES = lookupTable({
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
});

const FIELDS = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
] as const;

export class CronError extends Error {
  override name = 'CronError';
}

function parseField(text: string, index: number): Set<number> {
  const [name, min, max] = FIELDS[index]!;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`Invalid ${name} field "${text}".`);
    const step = m[4] ? Number(m[4]) : 1;
    let lo = m[1] === '*' ? min : Number(m[2]);
    let hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : lo;
    if (lo < min || hi > max || lo > hi || step < 1)
      throw new CronError(`The ${name} field "${text}" is out of range ${min}-${max}.`);
    for (let v = lo; v <= hi; v += step) out.add(index === 4 && v === 7 ? 0 : v);
    lo = hi = 0;
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const text = ALIASES[expression.trim()] ?? expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    throw new CronError('A cron expression has five fields: minute hour day-of-month month day-of-week.');
  const [mi, h, d, mo, w] = fields.map((f, i) => parseField(f, i));
  return {
    minutes: mi!,
    hours: h!,
    days: d!,
    months: mo!,
    weekdays: w!,
    dayOr: fields[2] !== '*' && fields[4] !== '*',
  };
}

/** The first time strictly after `after` (to the minute) that matches, within five years. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    const dom = schedule.days.has(t.getUTCDate());
    const dow = schedule.weekdays.has(t.getUTCDay());
    if (!(schedule.dayOr ? dom || dow : dom && dow)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  throw new CronError('The cron expression never matches (e.g. 31 February).');
}
