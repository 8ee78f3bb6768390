import type { Queryable } from '../../platform/db/pool.ts';
import type { Vault } from '../secrets/index.ts';

type Sealed = ReturnType<Vault['seal']>;

export interface WebhookRow {
  id: string;
  project_id: string;
  url: string;
  events: string[];
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_auth_tag: Buffer;
  secret_key_id: string;
  active: boolean;
  created_at: Date;
}

/** AAD of a webhook's secret: the ciphertext opens only for the webhook it was sealed for. */
export const webhookSecretAad = (id: string) => `webhook/${id}`;

export function sealedSecret(row: WebhookRow): Sealed {
  return {
    ciphertext: row.secret_ciphertext,
    iv: row.secret_iv,
    authTag: row.secret_auth_tag,
    keyId: row.secret_key_id,
  };
}

export async function insertWebhook(
  db: Queryable,
  w: {
    id: string;
    projectId: string;
    url: string;
    events: string[];
    sealed: Sealed;
    active: boolean;
    createdBy: string | null;
  },
): Promise<WebhookRow> {
  const { rows } = await db.query<WebhookRow>(
    `INSERT INTO webhooks (id, project_id, url, events, secret_ciphertext, secret_iv, secret_auth_tag, secret_key_id, active, created_by)
     VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [
      w.projectId,
      w.url,
      w.events,
      w.sealed.ciphertext,
      w.sealed.iv,
      w.sealed.authTag,
      w.sealed.keyId,
      w.active,
      w.createdBy,
      w.id,
    ],
  );
  return rows[0]!;
}

export async function findWebhook(
  db: Queryable,
  projectId: string,
  id: string,
): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>('SELECT * FROM webhooks WHERE project_id = $1 AND id = $2', [
    projectId,
    id,
  ]);
  return rows[0];
}

export async function listWebhookRows(db: Queryable, projectId: string): Promise<WebhookRow[]> {
  const { rows } = await db.query<WebhookRow>(
    'SELECT * FROM webhooks WHERE project_id = $1 ORDER BY created_at',
    [projectId],
  );
  return rows;
}

export async function activeWebhooksFor(
  db: Queryable,
  projectId: string,
  event: string,
): Promise<WebhookRow[]> {
  const { rows } = await db.query<WebhookRow>(
    'SELECT * FROM webhooks WHERE project_id = $1 AND active AND $2 = ANY(events) ORDER BY created_at',
    [projectId, event],
  );
  return rows;
}

export async function deleteWebhook(db: Queryable, projectId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhooks WHERE project_id = $1 AND id = $2', [
    projectId,
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  project_id: string;
  event: string;
  request_body: string;
  request_headers: Record<string, string>;
  status: 'pending' | 'retrying' | 'success' | 'failed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  attempts: Array<{ at: string; status: number | null; error: string | null; durationMs: number }>;
  operation_id: string | null;
  redelivery_of: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export async function insertDelivery(
  db: Queryable,
  d: { webhookId: string; projectId: string; event: string; body: string; redeliveryOf?: string },
): Promise<DeliveryRow> {
  const { rows } = await db.query<DeliveryRow>(
    `INSERT INTO webhook_deliveries (webhook_id, project_id, event, request_body, redelivery_of)
     VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [d.webhookId, d.projectId, d.event, d.body, d.redeliveryOf ?? null],
  );
  return rows[0]!;
}

export async function setDeliveryOperation(db: Queryable, id: string, operationId: string) {
  await db.query('UPDATE webhook_deliveries SET operation_id = $2 WHERE id = $1', [id, operationId]);
}

export async function findDelivery(db: Queryable, id: string): Promise<DeliveryRow | undefined> {
  const { rows } = await db.query<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
  return rows[0];
}

export async function listDeliveries(
  db: Queryable,
  webhookId: string,
  limit: number,
  after?: [string, string],
): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE webhook_id = $1
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [webhookId, limit, after?.[0] ?? null, after?.[1] ?? null],
  );
  return rows;
}

/** Records one attempt: the request as sent, the response (or error), and the resulting status. */
export async function recordAttempt(
  db: Queryable,
  id: string,
  a: {
    status: DeliveryRow['status'];
    requestHeaders: Record<string, string>;
    responseStatus: number | null;
    responseHeaders: Record<string, string> | null;
    responseBody: string | null;
    error: string | null;
    durationMs: number;
    at: Date;
  },
) {
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, request_headers = $3, response_status = $4, response_headers = $5,
       response_body = $6, error = $7, duration_ms = $8,
       attempts = attempts || jsonb_build_array(jsonb_build_object('at', $9::timestamptz, 'status', $4::int, 'error', $7::text, 'durationMs', $8::int)),
       delivered_at = CASE WHEN $2 = 'success' THEN $9::timestamptz ELSE delivered_at END
     WHERE id = $1`,
    [
      id,
      a.status,
      JSON.stringify(a.requestHeaders),
      a.responseStatus,
      a.responseHeaders && JSON.stringify(a.responseHeaders),
      a.responseBody,
      a.error,
      a.durationMs,
      a.at,
    ],
  );
}

/** Sealed-store SQL for `rotate-key` and `key-status` (see sealed-store.ts). */
export async function countWebhookSecretsByKey(db: Queryable) {
  const { rows } = await db.query<{ keyId: string; count: number }>(
    `SELECT secret_key_id AS "keyId", count(*)::int AS count FROM webhooks
     GROUP BY secret_key_id ORDER BY secret_key_id`,
  );
  return rows;
}

export async function lockWebhooksNotUnder(
  tx: Queryable,
  q: { notKeyId: string; after: string | null; limit: number },
): Promise<WebhookRow[]> {
  const { rows } = await tx.query<WebhookRow>(
    `SELECT * FROM webhooks WHERE secret_key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3 FOR UPDATE`,
    [q.notKeyId, q.after, q.limit],
  );
  return rows;
}

export async function replaceWebhookSecretSeal(tx: Queryable, id: string, sealed: Sealed) {
  await tx.query(
    `UPDATE webhooks SET secret_ciphertext = $2, secret_iv = $3, secret_auth_tag = $4, secret_key_id = $5
     WHERE id = $1`,
    [id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}
