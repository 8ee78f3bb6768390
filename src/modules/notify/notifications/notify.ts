import { z } from 'zod';
import type { DbClient } from '../../../platform/db/pool.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { notify as pgNotify } from '../../../platform/events/index.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { startOperation } from '../../operations/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { INBOX_CHANNEL } from './channel.ts';
import { NotificationKind } from './kinds.ts';
import { insertNotification, type NotificationRow, setEmailOperation } from './notification-store.ts';
import { preferencesOf } from './preferences.ts';
import { type Recipients, resolveRecipients } from './resolve-recipients.ts';

export const NotifyInput = z.object({
  kind: NotificationKind,
  projectId: z.uuid().optional(),
  /** Who caused the event: never told about it themselves. */
  actorId: z.uuid().optional(),
  recipients: z.union([
    z.array(z.uuid()),
    z.object({
      projectMembers: z.object({
        projectId: z.uuid(),
        minRole: z.enum(['owner', 'maintainer', 'developer', 'viewer']),
      }),
    }),
    z.object({ admins: z.literal(true) }),
  ]),
  title: z.string().min(1).max(300),
  body: z.string().max(10_000).default(''),
  /** A path of Orchard's (`/projects/shop/merge-requests/3`) or an absolute URL. */
  link: z.string().max(2_000).optional(),
  /** What makes the event one: a recipient never gets two notifications with the same key. */
  dedupeKey: z.string().min(1).max(300),
});
export type NotifyInput = z.input<typeof NotifyInput>;

/**
 * Tells each recipient who wants this kind (in-app, email or both): one stored notification per
 * recipient, never two for the same dedupe key (called twice or at once), and one `notify.email`
 * operation per email. Inside `tx` when given, so the notifications commit with the event.
 */
export async function notify(
  res: NotifyDeps,
  tx: DbClient | undefined,
  input: NotifyInput & { recipients: Recipients },
  actor?: Actor,
): Promise<NotificationRow[]> {
  const n = NotifyInput.parse(input);
  return withTransaction(tx ?? res.db, async (tx) => {
    const people = await resolveRecipients(tx, n.recipients, n.actorId);
    const prefs = await preferencesOf(
      tx,
      people.map((p) => p.id),
      n.kind,
    );
    const out: NotificationRow[] = [];
    for (const person of people) {
      const wants = prefs.get(person.id)!;
      const email = wants.email && person.email.includes('@');
      if (!wants.inApp && !email) continue;
      const row = await insertNotification(tx, {
        recipientId: person.id,
        kind: n.kind,
        projectId: n.projectId ?? null,
        actorId: n.actorId ?? null,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
        dedupeKey: n.dedupeKey,
        inApp: wants.inApp,
        email,
        at: res.clock.now(),
      });
      if (!row) continue;
      if (email) {
        const op = await startOperation(tx, res.registry, {
          kind: 'notify.email',
          input: { notificationId: row.id },
          idempotencyKey: `notification:${row.id}`,
          projectId: n.projectId,
          actor,
          clock: res.clock,
        });
        await setEmailOperation(tx, row.id, op.id);
        row.email_operation_id = op.id;
      }
      // Open bells update once this commits.
      if (row.in_app) await pgNotify(tx, INBOX_CHANNEL, person.id);
      out.push(row);
    }
    return out;
  });
}
