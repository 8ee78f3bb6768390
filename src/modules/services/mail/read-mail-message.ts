import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { toMailMessage } from './mail-views.ts';
import { requireMailbox } from './mailbox-access.ts';
import { findMail } from './mailbox-store.ts';

/** One message of the project's mailbox, with its text and HTML bodies. */
export async function readMailMessage(db: Queryable, actor: Actor, slug: string, id: string) {
  const { project } = await requireMailbox(db, actor, slug);
  const row = await findMail(db, project.id, id);
  if (!row) throw new NotFoundError(`No message ${id} in the mailbox of project "${slug}".`);
  return toMailMessage(row);
}
