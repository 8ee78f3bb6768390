import type { Queryable } from '../../platform/db/pool.ts';

/** The instance's admins who can be told something: people, not disabled. */
export async function listAdminIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM users WHERE role = 'admin' AND kind = 'human' AND NOT disabled ORDER BY id`,
  );
  return rows.map((r) => r.id);
}
