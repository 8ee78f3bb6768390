import type { Queryable } from '../../../platform/db/pool.ts';
import { findUsernames } from '../../identity/index.ts';
import { findProjectSlugs } from '../../projects/index.ts';
import type { AgentSessionView } from './schemas.ts';
import type { SessionRow } from './session-store.ts';
import { toSessionView } from './views.ts';

/** Views of sessions, with their project slugs and user names looked up once. */
export async function sessionViews(db: Queryable, rows: SessionRow[]): Promise<AgentSessionView[]> {
  const slugs = await findProjectSlugs(
    db,
    rows.map((r) => r.project_id),
  );
  const usernames = await findUsernames(
    db,
    rows.flatMap((r) => [r.principal_id, r.started_by]),
  );
  return rows.map((r) => toSessionView(r, { projectSlug: slugs.get(r.project_id) ?? '', usernames }));
}

export async function sessionView(db: Queryable, row: SessionRow): Promise<AgentSessionView> {
  return (await sessionViews(db, [row]))[0]!;
}
