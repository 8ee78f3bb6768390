import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage } from '../../../platform/http/cursor.ts';
import type { MailboxQuery } from '../schemas.ts';
import { toMailSummary } from './mail-views.ts';
import { requireMailbox } from './mailbox-access.ts';
import { listMail } from './mailbox-store.ts';

/** The project's mailbox, newest first (one environment's with `env`). */
export async function listMailbox(db: Queryable, actor: Actor, slug: string, query: MailboxQuery) {
  const { project, environment } = await requireMailbox(db, actor, slug, query.env);
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  return fetchPage(
    query.limit,
    (rows) => listMail(db, { projectId: project.id, environmentId: environment?.id, after, limit: rows }),
    (row) => [row.received_at.toISOString(), row.id],
    toMailSummary,
  );
}
