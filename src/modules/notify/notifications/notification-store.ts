import type { Queryable } from '../../../platform/db/pool.ts';

export type EmailStatus = 'none' | 'pending' | 'sent' | 'failed';

export interface NotificationRow {
  id: string;
  recipient_id: string;
  kind: string;
  project_id: string | null;
  actor_id: string | null;
  title: string;
  body: string;
  link: string | null;
  dedupe_key: string;
  in_app: boolean;
  read_at: Date | null;
  email_status: EmailStatus;
  email_operation_id: string | null;
  email_sent_at: Date | null;
  email_error: string | null;
  created_at: Date;
}

/** Stores one notification; undefined when the recipient already has one with this dedupe key. */
export async function insertNotification(
  db: Queryable,
  n: {
    recipientId: string;
    kind: string;
    projectId: string | null;
    actorId: string | null;
    title: string;
    body: string;
    link: string | null;
    dedupeKey: string;
    inApp: boolean;
    email: boolean;
    at: Date;
  },
): Promise<NotificationRow | undefined> {
  const { rows } = await db.query<NotificationRow>(
    `INSERT INTO notifications (recipient_id, kind, project_id, actor_id, title, body, link, dedupe_key, in_app, email_status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (recipient_id, dedupe_key) DO NOTHING RETURNING *`,
    [
      n.recipientId,
      n.kind,
      n.projectId,
      n.actorId,
      n.title,
      n.body,
      n.link,
      n.dedupeKey,
      n.inApp,
      n.email ? 'pending' : 'none',
      n.at,
    ],
  );
  return rows[0];
}

export async function setEmailOperation(db: Queryable, id: string, operationId: string) {
  await db.query('UPDATE notifications SET email_operation_id = $2 WHERE id = $1', [id, operationId]);
}

export async function findNotification(db: Queryable, id: string): Promise<NotificationRow | undefined> {
  const { rows } = await db.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1', [id]);
  return rows[0];
}

/** Records how an email went; `sent` only from `pending`, so a late retry never marks twice. */
export async function setEmailOutcome(
  db: Queryable,
  id: string,
  outcome: { status: 'sent' | 'failed' | 'pending'; error: string | null; at: Date },
) {
  await db.query(
    `UPDATE notifications SET email_status = $2, email_error = $3,
       email_sent_at = CASE WHEN $2 = 'sent' THEN $4 ELSE email_sent_at END
     WHERE id = $1 AND email_status <> 'sent'`,
    [id, outcome.status, outcome.error, outcome.at],
  );
}

/** A person's in-app notifications, newest first, after a `[createdAt, id]` cursor. */
export async function listInbox(
  db: Queryable,
  recipientId: string,
  q: { limit: number; after?: [string, string]; unreadOnly: boolean },
): Promise<NotificationRow[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT * FROM notifications
     WHERE recipient_id = $1 AND in_app AND (NOT $2::boolean OR read_at IS NULL)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [recipientId, q.unreadOnly, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit],
  );
  return rows;
}

export async function countUnread(db: Queryable, recipientId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND in_app AND read_at IS NULL',
    [recipientId],
  );
  return rows[0]?.n ?? 0;
}

/** Marks one of the person's notifications read; false when they have none with that id. */
export async function markRead(db: Queryable, recipientId: string, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $2 AND recipient_id = $1 AND in_app`,
    [recipientId, id, at],
  );
  return (rowCount ?? 0) > 0;
}

export async function markAllRead(db: Queryable, recipientId: string, at: Date): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND in_app AND read_at IS NULL',
    [recipientId, at],
  );
  return rowCount ?? 0;
}

export interface PreferenceRow {
  user_id: string;
  kind: string;
  in_app: boolean;
  email: boolean;
}

/** The choices these people made: for one kind when given, else for every kind. */
export async function listPreferences(
  db: Queryable,
  userIds: string[],
  kind?: string,
): Promise<PreferenceRow[]> {
  const { rows } = await db.query<PreferenceRow>(
    `SELECT user_id, kind, in_app, email FROM notification_preferences
     WHERE user_id = ANY($1::uuid[]) AND ($2::text IS NULL OR kind = $2)`,
    [userIds, kind ?? null],
  );
  return rows;
}

export async function upsertPreference(
  db: Queryable,
  p: { userId: string; kind: string; inApp: boolean; email: boolean; at: Date },
) {
  await db.query(
    `INSERT INTO notification_preferences (user_id, kind, in_app, email, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, kind) DO UPDATE SET in_app = $3, email = $4, updated_at = $5`,
    [p.userId, p.kind, p.inApp, p.email, p.at],
  );
}

/**
 * Records the outcome of a subject (a branch's pipeline, a build) and returns whether it was
 * failing before; the row lock orders concurrent reports of the same subject.
 */
export async function recordStreak(
  db: Queryable,
  s: { projectId: string; subject: string; failing: boolean; at: Date },
): Promise<boolean> {
  const { rows } = await db.query<{ was_failing: boolean | null }>(
    `WITH previous AS (
       SELECT failing FROM notification_streaks WHERE project_id = $1 AND subject = $2 FOR UPDATE
     ), saved AS (
       INSERT INTO notification_streaks (project_id, subject, failing, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, subject) DO UPDATE SET failing = $3, updated_at = $4
     )
     SELECT (SELECT failing FROM previous) AS was_failing`,
    [s.projectId, s.subject, s.failing, s.at],
  );
  return rows[0]?.was_failing === true;
}
