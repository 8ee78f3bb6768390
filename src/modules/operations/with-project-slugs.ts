import type { Queryable } from '../../platform/db/pool.ts';
import { findProjectSlugs } from '../projects/index.ts';
import type { OperationRow } from './store.ts';

/** The operations with their project's slug for display, asked of the projects module. */
export async function withProjectSlugs<R extends OperationRow>(db: Queryable, rows: R[]): Promise<R[]> {
  const slugs = await findProjectSlugs(
    db,
    rows.map((r) => r.project_id),
  );
  return rows.map((r) => ({ ...r, project_slug: r.project_id ? (slugs.get(r.project_id) ?? null) : null }));
}

/** One operation with its project's slug. */
export async function withProjectSlug<R extends OperationRow>(db: Queryable, row: R): Promise<R> {
  return (await withProjectSlugs(db, [row]))[0]!;
}
