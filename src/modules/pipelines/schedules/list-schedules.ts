import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { listScheduleRows } from './schedule-store.ts';
import { toScheduleView } from './schedule-view.ts';

/** A project's pipeline schedules, oldest first (viewers). */
export async function listSchedules(db: Queryable, actor: Actor, slug: string) {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  return { items: (await listScheduleRows(db, project.id)).map(toScheduleView), nextCursor: null };
}
