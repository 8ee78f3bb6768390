import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { commitBlueprintChange } from '../commit-blueprint-change.ts';
import { ruleArchitectTurn } from './rule-architect.ts';

/**
 * One chat turn with the rule-based Architect: the message and its reply are stored in the
 * Blueprint's conversation with the resulting snapshot, even when nothing changed (so the
 * conversation is complete).
 */
export async function chatWithRules(
  db: Db,
  ctx: RequestContext,
  id: string,
  content: string,
  options: { autopilot?: boolean } = {},
) {
  await requireBlueprint(db, ctx.actor, id, 'developer');
  return withTransaction(db, (tx) =>
    commitBlueprintChange(tx, ctx, id, {
      kind: 'chat',
      message: content,
      answeredBy: 'rules',
      next: (current) => {
        const turn = ruleArchitectTurn(current, content, options);
        return { document: turn.blueprint, reply: turn.reply, patch: turn.patch };
      },
    }),
  );
}
