import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findEnvironmentByParam } from '../../deploy/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AnalyticsQuery, AnalyticsStats } from '../schemas.ts';
import { topPaths, viewsPerDay } from './page-view-store.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

/**
 * Page views of a project (one environment's with `env`) per day from `from` to `to` (UTC days,
 * default the last 30), every day of the range present, and the 20 most viewed paths.
 */
export async function readAnalyticsStats(
  deps: { db: Queryable; clock: Clock },
  actor: Actor,
  slug: string,
  query: AnalyticsQuery,
): Promise<AnalyticsStats> {
  const { project } = await requireProjectRole(deps.db, actor, slug, 'viewer');
  const environment = query.env ? await findEnvironmentByParam(deps.db, project.id, query.env) : undefined;
  const to = query.to ?? deps.clock.now().toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const span = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (!(span >= 0))
    throw new ValidationError('from must be on or before to.', [
      { field: 'querystring.from', message: 'is after to' },
    ]);
  if (span >= MAX_DAYS)
    throw new ValidationError(`Ask for at most ${MAX_DAYS} days at once.`, [
      { field: 'querystring.from', message: `more than ${MAX_DAYS} days before to` },
    ]);
  const where = { projectId: project.id, environmentId: environment?.id, from, to };
  const [perDay, paths] = await Promise.all([
    viewsPerDay(deps.db, where),
    topPaths(deps.db, { ...where, limit: 20 }),
  ]);
  const counted = new Map(perDay.map((d) => [d.day, Number(d.views)]));
  const days: AnalyticsStats['days'] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, views: counted.get(day) ?? 0 });
  }
  return {
    from,
    to,
    environment: environment?.name ?? null,
    total: days.reduce((sum, d) => sum + d.views, 0),
    days,
    topPaths: paths.map((p) => ({ path: p.path, views: Number(p.views) })),
  };
}
