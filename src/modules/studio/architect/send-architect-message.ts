import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { withChatText } from '../chat/chat-snapshots.ts';
import type { ChatHandler } from '../deps.ts';
import { toBlueprintView, toSnapshotView } from '../views.ts';
import { chatWithRules } from './chat-rules.ts';

/**
 * One message to a Blueprint's Architect (developers): the LLM Architect takes it as an operation
 * (202, follow its events) when the mode and the setup allow; otherwise the rule-based Architect
 * answers at once (200) with its reply, the snapshot it made and the Blueprint after it.
 */
export async function sendArchitectMessage(
  deps: { db: Db; chat: ChatHandler },
  ctx: RequestContext,
  id: string,
  message: { content: string; mode?: 'auto' | 'llm' | 'rules' },
) {
  const { blueprint } = await requireBlueprint(deps.db, ctx.actor, id, 'developer');
  const mode = message.mode ?? blueprint.architect_mode;
  if (mode !== 'rules') {
    const delegated = await deps.chat(ctx, id, message.content, mode);
    if (delegated) return delegated;
  }
  const { row, snapshot, reply } = await chatWithRules(deps.db, ctx, id, message.content);
  const [turn] = await withChatText(deps.db, row.conversation_id, [snapshot]);
  return {
    status: 200 as const,
    body: {
      mode: 'rules' as const,
      reply: reply ?? '',
      snapshot: toSnapshotView(turn!),
      blueprint: toBlueprintView(row),
    },
  };
}
