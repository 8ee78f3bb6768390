import type { Queryable } from '../../../platform/db/pool.ts';
import { defaultPreference, NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';
import { listPreferences } from './notification-store.ts';

export interface Preference {
  inApp: boolean;
  email: boolean;
}

/** Each person's choice for one kind: theirs where they chose, else the default. */
export async function preferencesOf(
  db: Queryable,
  userIds: string[],
  kind: NotificationKind,
): Promise<Map<string, Preference>> {
  const chosen = new Map(
    (await listPreferences(db, userIds, kind)).map((r) => [r.user_id, { inApp: r.in_app, email: r.email }]),
  );
  return new Map(userIds.map((id) => [id, chosen.get(id) ?? defaultPreference(kind)]));
}

/** One person's choices for every kind. */
export async function allPreferencesOf(db: Queryable, userId: string) {
  const chosen = new Map((await listPreferences(db, [userId])).map((r) => [r.kind, r]));
  return NOTIFICATION_KINDS.map((kind) => {
    const row = chosen.get(kind);
    return { kind, ...(row ? { inApp: row.in_app, email: row.email } : defaultPreference(kind)) };
  });
}
