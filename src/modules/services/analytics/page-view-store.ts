import type { Queryable } from '../../../platform/db/pool.ts';

/** SQL of `page_view_days`: page views per environment, day (UTC) and path. */

export interface PageViewCount {
  environmentId: string;
  projectId: string;
  day: string;
  path: string;
  views: number;
}

/** Adds counts in one statement (each key once per batch). */
export async function addPageViews(db: Queryable, counts: PageViewCount[]): Promise<void> {
  if (!counts.length) return;
  await db.query(
    `INSERT INTO page_view_days (environment_id, project_id, day, path, views)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::bigint[])
     ON CONFLICT (environment_id, day, path) DO UPDATE SET views = page_view_days.views + EXCLUDED.views`,
    [
      counts.map((c) => c.environmentId),
      counts.map((c) => c.projectId),
      counts.map((c) => c.day),
      counts.map((c) => c.path),
      counts.map((c) => c.views),
    ],
  );
}

export async function viewsPerDay(
  db: Queryable,
  q: { projectId: string; environmentId?: string; from: string; to: string },
): Promise<{ day: string; views: number }[]> {
  const { rows } = await db.query<{ day: string; views: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(views)::bigint AS views FROM page_view_days
     WHERE project_id = $1 AND ($2::uuid IS NULL OR environment_id = $2) AND day BETWEEN $3::date AND $4::date
     GROUP BY day ORDER BY day`,
    [q.projectId, q.environmentId ?? null, q.from, q.to],
  );
  return rows;
}

export async function topPaths(
  db: Queryable,
  q: { projectId: string; environmentId?: string; from: string; to: string; limit: number },
): Promise<{ path: string; views: number }[]> {
  const { rows } = await db.query<{ path: string; views: number }>(
    `SELECT path, sum(views)::bigint AS views FROM page_view_days
     WHERE project_id = $1 AND ($2::uuid IS NULL OR environment_id = $2) AND day BETWEEN $3::date AND $4::date
     GROUP BY path ORDER BY views DESC, path LIMIT $5`,
    [q.projectId, q.environmentId ?? null, q.from, q.to, q.limit],
  );
  return rows;
}
