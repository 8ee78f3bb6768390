import type { Queryable } from '../../../platform/db/pool.ts';

/** SQL of `mailbox_messages`: what apps sent through the email relay, per environment. */

export interface MailboxRow {
  id: string;
  project_id: string;
  environment_id: string | null;
  environment_name: string;
  envelope_from: string;
  envelope_to: string[];
  header_from: string;
  header_to: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  size_bytes: number;
  relay_status: 'kept' | 'relayed' | 'failed';
  relay_error: string | null;
  received_at: Date;
}

/** A summary row: the bodies' first characters, not the bodies. */
export type MailboxSummaryRow = Omit<MailboxRow, 'text_body' | 'html_body'> & {
  preview: string;
  has_html: boolean;
};

export interface NewMail {
  projectId: string;
  environmentId: string;
  environmentName: string;
  envelopeFrom: string;
  envelopeTo: string[];
  headerFrom: string;
  headerTo: string;
  subject: string;
  text: string | null;
  html: string | null;
  sizeBytes: number;
  receivedAt: Date;
}

// PostgreSQL text holds no NUL: a message's bytes may.
const storable = (text: string | null) => (text === null ? null : text.replace(/\0/g, ''));

export async function insertMail(db: Queryable, m: NewMail): Promise<MailboxRow> {
  const { rows } = await db.query<MailboxRow>(
    `INSERT INTO mailbox_messages (project_id, environment_id, environment_name, envelope_from, envelope_to,
       header_from, header_to, subject, text_body, html_body, size_bytes, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      m.projectId,
      m.environmentId,
      m.environmentName,
      storable(m.envelopeFrom),
      m.envelopeTo.map((t) => storable(t)),
      storable(m.headerFrom),
      storable(m.headerTo),
      storable(m.subject),
      storable(m.text),
      storable(m.html),
      m.sizeBytes,
      m.receivedAt,
    ],
  );
  return rows[0]!;
}

/** Keeps the newest `keep` messages of an environment. */
export async function pruneMailbox(db: Queryable, environmentId: string, keep: number): Promise<void> {
  await db.query(
    `DELETE FROM mailbox_messages WHERE id IN (
       SELECT id FROM mailbox_messages WHERE environment_id = $1
       ORDER BY received_at DESC, id DESC OFFSET $2)`,
    [environmentId, keep],
  );
}

export async function markRelayed(db: Queryable, id: string, error: string | null): Promise<void> {
  await db.query('UPDATE mailbox_messages SET relay_status = $2, relay_error = $3 WHERE id = $1', [
    id,
    error ? 'failed' : 'relayed',
    error,
  ]);
}

const SUMMARY = `SELECT id, project_id, environment_id, environment_name, envelope_from, envelope_to,
  header_from, header_to, subject, size_bytes, relay_status, relay_error, received_at,
  left(COALESCE(text_body, regexp_replace(COALESCE(html_body, ''), '<[^>]*>', ' ', 'g')), 200) AS preview,
  html_body IS NOT NULL AS has_html
  FROM mailbox_messages`;

/** Newest first, after the cursor `(received_at, id)`, in one project (one environment when given). */
export async function listMail(
  db: Queryable,
  q: { projectId: string; environmentId?: string; after?: [string, string]; limit: number },
): Promise<MailboxSummaryRow[]> {
  const { rows } = await db.query<MailboxSummaryRow>(
    `${SUMMARY} WHERE project_id = $1 AND ($2::uuid IS NULL OR environment_id = $2)
       AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY received_at DESC, id DESC LIMIT $5`,
    [q.projectId, q.environmentId ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit],
  );
  return rows;
}

export async function findMail(
  db: Queryable,
  projectId: string,
  id: string,
): Promise<MailboxRow | undefined> {
  const { rows } = await db.query<MailboxRow>(
    'SELECT * FROM mailbox_messages WHERE project_id = $1 AND id = $2',
    [projectId, id],
  );
  return rows[0];
}

export async function findMailSummary(db: Queryable, id: string): Promise<MailboxSummaryRow | undefined> {
  const { rows } = await db.query<MailboxSummaryRow>(`${SUMMARY} WHERE id = $1`, [id]);
  return rows[0];
}

/** Empties a project's mailbox (one environment's when given); how many messages went. */
export async function deleteMail(db: Queryable, projectId: string, environmentId?: string): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM mailbox_messages WHERE project_id = $1 AND ($2::uuid IS NULL OR environment_id = $2)',
    [projectId, environmentId ?? null],
  );
  return rowCount ?? 0;
}
