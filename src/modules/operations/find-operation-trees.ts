import type { Queryable } from '../../platform/db/pool.ts';

/**
 * Each root operation with every operation started under it (children, theirs, …), for views that
 * add up what a whole piece of work cost: one recursive statement for all roots.
 */
export async function findOperationTrees(
  db: Queryable,
  rootIds: ReadonlyArray<string>,
): Promise<Map<string, string[]>> {
  const roots = [...new Set(rootIds)];
  const trees = new Map(roots.map((id) => [id, [id]]));
  if (!roots.length) return trees;
  const { rows } = await db.query<{ root: string; id: string }>(
    `WITH RECURSIVE tree(root, id, depth) AS (
       SELECT o.parent_operation_id, o.id, 1 FROM operations o WHERE o.parent_operation_id = ANY($1::uuid[])
       UNION ALL
       SELECT t.root, o.id, t.depth + 1 FROM operations o JOIN tree t ON o.parent_operation_id = t.id
       WHERE t.depth < 20
     )
     SELECT root, id FROM tree`,
    [roots],
  );
  for (const r of rows) trees.get(r.root)?.push(r.id);
  return trees;
}
