import type { Queryable } from '../../platform/db/pool.ts';
import type { Blueprint, JsonPatch } from '../blueprint/index.ts';

export type BlueprintStatus = 'draft' | 'ready' | 'building' | 'built' | 'discarded';
export type ArchitectMode = 'auto' | 'llm' | 'rules';

export interface BlueprintRow {
  id: string;
  project_id: string;
  title: string;
  status: BlueprintStatus;
  architect_mode: ArchitectMode;
  document: Blueprint;
  version: number;
  /** Its chat with the Architect (a conversation of the llm module), from its first turn. */
  conversation_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SnapshotRow {
  id: number;
  blueprint_id: string;
  version: number;
  kind: 'create' | 'chat' | 'edit' | 'autopilot' | 'status';
  /**
   * A note on the change (where an edit came from). What someone said and the Architect's reply
   * are conversation messages (`message_id`, `reply_id`); see chat/chat-snapshots.ts.
   */
  message: string | null;
  reply: string | null;
  patch: JsonPatch;
  document: Blueprint;
  actor_id: string | null;
  actor_name: string | null;
  operation_id: string | null;
  message_id: number | null;
  reply_id: number | null;
  created_at: Date;
}

export async function insertBlueprint(
  db: Queryable,
  b: { projectId: string; title: string; document: Blueprint; mode: ArchitectMode; createdBy: string | null },
): Promise<BlueprintRow> {
  const { rows } = await db.query<BlueprintRow>(
    `INSERT INTO blueprints (project_id, title, document, architect_mode, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [b.projectId, b.title, JSON.stringify(b.document), b.mode, b.createdBy],
  );
  return rows[0]!;
}

export async function findBlueprint(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<BlueprintRow | undefined> {
  const { rows } = await db.query<BlueprintRow>(
    `SELECT * FROM blueprints WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function listBlueprintRows(
  db: Queryable,
  projectId: string,
  limit: number,
  before?: [string, string],
) {
  const { rows } = await db.query<BlueprintRow>(
    `SELECT * FROM blueprints WHERE project_id = $1
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [projectId, limit, before?.[0] ?? null, before?.[1] ?? null],
  );
  return rows;
}

/** Writes a new document version; the caller holds the row lock (findBlueprint forUpdate). */
export async function saveBlueprintVersion(
  db: Queryable,
  id: string,
  next: { document: Blueprint; version: number; status?: BlueprintStatus; title?: string },
): Promise<BlueprintRow> {
  const { rows } = await db.query<BlueprintRow>(
    `UPDATE blueprints SET document = $2, version = $3, status = COALESCE($4, status), title = COALESCE($5, title), updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, JSON.stringify(next.document), next.version, next.status ?? null, next.title ?? null],
  );
  return rows[0]!;
}

/** A Blueprint whose build (re)starts is `building` again, unless it was discarded or is building. */
export async function markBuilding(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE blueprints SET status = 'building', updated_at = now() WHERE id = $1 AND status IN ('ready', 'draft', 'built')`,
    [id],
  );
}

export async function setBlueprintStatus(
  db: Queryable,
  id: string,
  status: BlueprintStatus,
): Promise<BlueprintRow> {
  const { rows } = await db.query<BlueprintRow>(
    'UPDATE blueprints SET status = $2, updated_at = now() WHERE id = $1 RETURNING *',
    [id, status],
  );
  return rows[0]!;
}

export async function insertSnapshot(
  db: Queryable,
  s: Omit<SnapshotRow, 'id' | 'created_at'>,
): Promise<SnapshotRow> {
  const { rows } = await db.query<SnapshotRow>(
    `INSERT INTO blueprint_snapshots (blueprint_id, version, kind, message, reply, patch, document, actor_id, actor_name, operation_id, message_id, reply_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      s.blueprint_id,
      s.version,
      s.kind,
      s.message,
      s.reply,
      JSON.stringify(s.patch),
      JSON.stringify(s.document),
      s.actor_id,
      s.actor_name,
      s.operation_id,
      s.message_id,
      s.reply_id,
    ],
  );
  return rows[0]!;
}

/** Links a Blueprint to its chat's conversation; the caller holds the row lock (findBlueprint forUpdate). */
export async function setBlueprintConversation(db: Queryable, id: string, conversationId: string) {
  await db.query('UPDATE blueprints SET conversation_id = $2 WHERE id = $1', [id, conversationId]);
}

export async function listSnapshotRows(db: Queryable, blueprintId: string, limit: number, afterVersion = 0) {
  const { rows } = await db.query<SnapshotRow>(
    `SELECT * FROM blueprint_snapshots WHERE blueprint_id = $1 AND version > $3 ORDER BY version LIMIT $2`,
    [blueprintId, limit, afterVersion],
  );
  return rows;
}

export async function findSnapshot(
  db: Queryable,
  blueprintId: string,
  version: number,
): Promise<SnapshotRow | undefined> {
  const { rows } = await db.query<SnapshotRow>(
    'SELECT * FROM blueprint_snapshots WHERE blueprint_id = $1 AND version = $2',
    [blueprintId, version],
  );
  return rows[0];
}

/** The snapshot an operation (an Architect turn) wrote, if it already did. */
export async function findSnapshotByOperation(db: Queryable, blueprintId: string, operationId: string) {
  const { rows } = await db.query<SnapshotRow>(
    'SELECT * FROM blueprint_snapshots WHERE blueprint_id = $1 AND operation_id = $2 ORDER BY version DESC LIMIT 1',
    [blueprintId, operationId],
  );
  return rows[0];
}

/** The last `limit` chat turns (their message and reply ids), oldest first: the Architect's memory. */
export async function recentChatTurnIds(db: Queryable, blueprintId: string, limit: number) {
  const { rows } = await db.query<{ message_id: number; reply_id: number }>(
    `SELECT message_id, reply_id FROM (
       SELECT message_id, reply_id, version FROM blueprint_snapshots
       WHERE blueprint_id = $1 AND kind = 'chat' AND message_id IS NOT NULL AND reply_id IS NOT NULL
       ORDER BY version DESC LIMIT $2) t ORDER BY version`,
    [blueprintId, limit],
  );
  return rows;
}
