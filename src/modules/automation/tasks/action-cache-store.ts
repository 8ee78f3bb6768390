import type { Queryable } from '../../../platform/db/pool.ts';
import type { ActionKind } from './planner.ts';
import type { Target } from './task-input.ts';

/** An action as the cache keeps it: a replayable target, and the value as a template (`%password%`). */
export interface CachedAction {
  action: ActionKind;
  target: Target;
  value?: string;
  description?: string;
}

export interface CacheKey {
  projectId: string;
  urlPattern: string;
  instruction: string;
}

export interface CacheEntry {
  action: CachedAction;
  structureHash: string;
}

export async function findCachedAction(db: Queryable, key: CacheKey): Promise<CacheEntry | undefined> {
  const { rows } = await db.query<{ action: CachedAction; structure_hash: string }>(
    `SELECT action, structure_hash FROM automation_action_cache
     WHERE project_id = $1 AND url_pattern = $2 AND instruction = $3`,
    [key.projectId, key.urlPattern, key.instruction],
  );
  const row = rows[0];
  return row ? { action: row.action, structureHash: row.structure_hash } : undefined;
}

/** A replay worked: count it, and remember the structure it worked on. */
export async function recordCacheHit(db: Queryable, key: CacheKey, structureHash: string): Promise<void> {
  await db.query(
    `UPDATE automation_action_cache SET hits = hits + 1, structure_hash = $4, used_at = now()
     WHERE project_id = $1 AND url_pattern = $2 AND instruction = $3`,
    [key.projectId, key.urlPattern, key.instruction, structureHash],
  );
}

/** A newly resolved action; replacing an entry whose replay failed counts as a heal. */
export async function storeCachedAction(
  db: Queryable,
  key: CacheKey,
  entry: CacheEntry,
  healed: boolean,
): Promise<void> {
  await db.query(
    `INSERT INTO automation_action_cache (project_id, url_pattern, instruction, structure_hash, action)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (project_id, url_pattern, instruction) DO UPDATE SET
       structure_hash = EXCLUDED.structure_hash, action = EXCLUDED.action, used_at = now(),
       heals = automation_action_cache.heals + $6`,
    [
      key.projectId,
      key.urlPattern,
      key.instruction,
      entry.structureHash,
      JSON.stringify(entry.action),
      healed ? 1 : 0,
    ],
  );
}
