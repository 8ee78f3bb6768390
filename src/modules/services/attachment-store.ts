import type { Queryable } from '../../platform/db/pool.ts';

/** SQL of `service_attachments`: the services each project attached. */

export interface AttachmentRow {
  project_id: string;
  service_id: string;
  settings: Record<string, unknown>;
  attached_by: string | null;
  attached_at: Date;
}

export async function listAttachments(db: Queryable, projectId: string): Promise<AttachmentRow[]> {
  const { rows } = await db.query<AttachmentRow>(
    'SELECT * FROM service_attachments WHERE project_id = $1 ORDER BY service_id',
    [projectId],
  );
  return rows;
}

export async function findAttachment(
  db: Queryable,
  projectId: string,
  serviceId: string,
): Promise<AttachmentRow | undefined> {
  const { rows } = await db.query<AttachmentRow>(
    'SELECT * FROM service_attachments WHERE project_id = $1 AND service_id = $2',
    [projectId, serviceId],
  );
  return rows[0];
}

/** Attaches, or changes the settings of an attachment; the row as it is now, and whether it is new. */
export async function upsertAttachment(
  db: Queryable,
  a: {
    projectId: string;
    serviceId: string;
    settings: Record<string, unknown>;
    by: string | null;
    now: Date;
  },
): Promise<AttachmentRow & { created: boolean }> {
  const { rows } = await db.query<AttachmentRow & { created: boolean }>(
    `INSERT INTO service_attachments (project_id, service_id, settings, attached_by, attached_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (project_id, service_id) DO UPDATE SET settings = EXCLUDED.settings
     RETURNING *, (xmax = 0) AS created`,
    [a.projectId, a.serviceId, JSON.stringify(a.settings), a.by, a.now],
  );
  return rows[0]!;
}

export async function deleteAttachment(
  db: Queryable,
  projectId: string,
  serviceId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM service_attachments WHERE project_id = $1 AND service_id = $2',
    [projectId, serviceId],
  );
  return (rowCount ?? 0) > 0;
}

/** The projects among `projectIds` that attached `serviceId`. */
export async function projectsWithService(
  db: Queryable,
  projectIds: string[],
  serviceId: string,
): Promise<Set<string>> {
  if (!projectIds.length) return new Set();
  const { rows } = await db.query<{ project_id: string }>(
    'SELECT project_id FROM service_attachments WHERE project_id = ANY($1::uuid[]) AND service_id = $2',
    [projectIds, serviceId],
  );
  return new Set(rows.map((r) => r.project_id));
}

/** Whether a project attached a service (the deploy module's database provisioning asks this through app.ts). */
export async function projectHasService(
  db: Queryable,
  projectId: string,
  serviceId: string,
): Promise<boolean> {
  return Boolean(await findAttachment(db, projectId, serviceId));
}
