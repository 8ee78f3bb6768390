import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { type EventBus, notify } from './event-bus.ts';

/** The channel that tells every process someone's access may have shrunk. */
export const ACCESS_CHANNEL = 'orchard_access';

/**
 * Who is concerned: a user (role, disabled), one of their tokens or sessions, and/or a project
 * (membership, archive). Absent fields mean "any": `{ userId }` concerns every credential and
 * project of that user, `{ projectId }` everyone in that project.
 */
export const AccessChange = z.object({
  userId: z.string().max(64).optional(),
  tokenId: z.string().max(64).optional(),
  /** A session's id hash, as in `Actor.sessionId`. */
  sessionId: z.string().max(128).optional(),
  /** Every session (of `userId` when given) ended at once; tokens are not concerned. */
  allSessions: z.literal(true).optional(),
  projectId: z.string().max(64).optional(),
});
export type AccessChange = z.infer<typeof AccessChange>;

/** Call inside the transaction that reduces access: the notice goes out on commit, to every process. */
export async function notifyAccessChange(db: Queryable, change: AccessChange) {
  await notify(db, ACCESS_CHANNEL, JSON.stringify(AccessChange.parse(change)));
}

/**
 * Follows access changes over the process's one LISTEN connection. After the connection was lost
 * and came back, notices may have been missed: `onChange` gets `'all'` (assume anything changed).
 */
export function watchAccessChanges(
  bus: EventBus,
  logger: Logger,
  onChange: (change: AccessChange | 'all') => void,
): { ready: Promise<void>; stop(): void } {
  const subscription = bus.subscribe(ACCESS_CHANNEL, (payload) => {
    let change: AccessChange | undefined;
    try {
      const parsed = AccessChange.safeParse(JSON.parse(payload));
      if (parsed.success) change = parsed.data;
    } catch {}
    if (change) onChange(change);
    else {
      // A notice we cannot read still means something changed.
      logger.warn({ channel: ACCESS_CHANNEL }, 'unreadable access change; rechecking everything');
      onChange('all');
    }
  });
  const offReconnect = bus.onReconnect(() => onChange('all'));
  return {
    ready: subscription.ready,
    stop() {
      subscription();
      offReconnect();
    },
  };
}

/** True when a holder (a stream, a cached credential) described by `who` is concerned by `change`. */
export function concerns(
  change: AccessChange | 'all',
  who: { userId: string; tokenId?: string; sessionId?: string; projectId?: string },
): boolean {
  if (change === 'all') return true;
  if (change.allSessions && who.sessionId === undefined) return false;
  if (change.userId !== undefined && change.userId !== who.userId) return false;
  if (change.tokenId !== undefined && change.tokenId !== who.tokenId) return false;
  if (change.sessionId !== undefined && change.sessionId !== who.sessionId) return false;
  // A holder tied to no project (a credential) is concerned by a project change of its user.
  if (change.projectId !== undefined && who.projectId !== undefined && change.projectId !== who.projectId)
    return false;
  return true;
}
