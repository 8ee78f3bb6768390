import type { Queryable } from '../../../platform/db/pool.ts';
import type { DesignAnalysis } from '../../automation/index.ts';
import type { JsonPatch } from '../../blueprint/index.ts';
import type { ProposedTokens } from './propose-design-tokens.ts';

export interface ReferenceRow {
  id: string;
  blueprint_id: string;
  kind: 'url' | 'image';
  url: string | null;
  title: string | null;
  image_key: string;
  image_type: string;
  thumbnail_key: string;
  width: number;
  height: number;
  analysis: DesignAnalysis;
  tokens: ProposedTokens;
  patch: JsonPatch;
  blueprint_version: number;
  applied_version: number | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
}

export async function insertReference(
  db: Queryable,
  r: Omit<ReferenceRow, 'applied_version' | 'created_at'>,
): Promise<ReferenceRow> {
  const { rows } = await db.query<ReferenceRow>(
    `INSERT INTO design_references (id, blueprint_id, kind, url, title, image_key, image_type, thumbnail_key,
       width, height, analysis, tokens, patch, blueprint_version, created_by, created_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
    [
      r.id,
      r.blueprint_id,
      r.kind,
      r.url,
      r.title,
      r.image_key,
      r.image_type,
      r.thumbnail_key,
      r.width,
      r.height,
      JSON.stringify(r.analysis),
      JSON.stringify(r.tokens),
      JSON.stringify(r.patch),
      r.blueprint_version,
      r.created_by,
      r.created_by_name,
    ],
  );
  return rows[0]!;
}

/** A Blueprint's reference (undefined when it is another Blueprint's, or none). */
export async function findReference(
  db: Queryable,
  blueprintId: string,
  id: string,
): Promise<ReferenceRow | undefined> {
  const { rows } = await db.query<ReferenceRow>(
    'SELECT * FROM design_references WHERE id = $1 AND blueprint_id = $2',
    [id, blueprintId],
  );
  return rows[0];
}

export async function listReferenceRows(
  db: Queryable,
  blueprintId: string,
  limit: number,
  before?: [string, string],
): Promise<ReferenceRow[]> {
  const { rows } = await db.query<ReferenceRow>(
    `SELECT * FROM design_references WHERE blueprint_id = $1
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [blueprintId, limit, before?.[0] ?? null, before?.[1] ?? null],
  );
  return rows;
}

export async function markReferenceApplied(db: Queryable, id: string, version: number): Promise<void> {
  await db.query('UPDATE design_references SET applied_version = $2 WHERE id = $1', [id, version]);
}
