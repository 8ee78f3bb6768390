import { z } from 'zod';
import { withTransaction } from '../../../platform/db/pool.ts';
import { applyBlueprintPatch } from '../../blueprint/index.ts';
import { EventCoalescer, NonRetryableError, type StepContext } from '../../operations/index.ts';
import { recentChatTurns } from '../chat/chat-history.ts';
import { withChatText } from '../chat/chat-snapshots.ts';
import { openBlueprintConversation } from '../chat/record-chat-turn.ts';
import { commitBlueprintChange } from '../commit-blueprint-change.ts';
import { actorOf, RequestedBy, type StudioDeps } from '../deps.ts';
import { findBlueprint, findSnapshotByOperation } from '../store.ts';
import { ArchitectAnswerError, architectTurnWithLlm } from './architect-llm.ts';

export const ArchitectTurnInput = z.object({
  blueprintId: z.uuid(),
  content: z.string().min(1).max(8000),
  requestedBy: RequestedBy,
});
export type ArchitectTurnInput = z.infer<typeof ArchitectTurnInput>;

const HISTORY_TURNS = 8;

/** Writes `llm.delta` events as the reply streams: the engine's coalescer decides when, the buffer holds what. */
function deltaWriter(ctx: StepContext<unknown>) {
  let pending = '';
  let attempt = 0;
  const writer = new EventCoalescer(async () => {
    const text = pending;
    pending = '';
    if (text) await ctx.emit({ type: 'llm.delta', text, attempt });
  });
  return {
    push(text: string) {
      pending += text;
      writer.append('reply', '');
    },
    async newAttempt(next: number) {
      await writer.flush();
      attempt = next;
    },
    flush: () => writer.flush(),
  };
}

/**
 * `studio.architect-turn`: one chat turn with the LLM Architect. The reply streams as `llm.delta`
 * events (`llm.repair` voids what streamed when the answer had to be re-asked); the message and the
 * reply are stored in the Blueprint's conversation (the reply linked to the model call that wrote
 * it) and the change as a snapshot linked to them. An answer that stays unusable is recorded as a
 * turn that changed nothing, and the operation fails with the reason.
 */
export async function architectReplyStep(deps: StudioDeps, ctx: StepContext<ArchitectTurnInput>) {
  const { blueprintId, content } = ctx.input;
  const c = { actor: actorOf(ctx.input.requestedBy) };
  // A retried attempt after the turn was stored must not apply it twice.
  const stored = await findSnapshotByOperation(deps.db, blueprintId, ctx.operationId);
  if (stored) {
    const [turn] = await withChatText(
      deps.db,
      (await findBlueprint(deps.db, blueprintId))?.conversation_id ?? null,
      [stored],
    );
    return { reply: turn!.reply, version: stored.version, ops: stored.patch.length, repairs: null };
  }
  // The conversation first, so that the model's calls are booked to it.
  const blueprint = await withTransaction(deps.db, async (tx) => {
    const row = await findBlueprint(tx, blueprintId, true);
    if (!row) return undefined;
    return { ...row, conversation_id: await openBlueprintConversation(tx, c, row, row.title) };
  });
  if (!blueprint) throw new NonRetryableError(`No Blueprint ${blueprintId}.`);
  const deltas = deltaWriter(ctx);
  await ctx.emit({ type: 'phase', phase: 'architect', message: 'The Architect is answering' });
  let answer: Awaited<ReturnType<typeof architectTurnWithLlm>>;
  let lastCall: string | null = null;
  try {
    answer = await architectTurnWithLlm(deps.llm, {
      blueprint: blueprint.document,
      version: blueprint.version,
      history: await recentChatTurns(deps.db, blueprint, HISTORY_TURNS),
      content,
      signal: ctx.signal,
      context: {
        operationId: ctx.operationId,
        projectId: blueprint.project_id,
        conversationId: blueprint.conversation_id,
      },
      onCall: (callId) => {
        lastCall = callId;
      },
      onDelta: (text) => deltas.push(text),
      onRepair: async (attempt, problem) => {
        await deltas.newAttempt(attempt);
        await ctx.emit({ type: 'llm.repair', attempt, problem: problem.slice(0, 2000) });
      },
    });
    await deltas.flush();
  } catch (error) {
    await deltas.flush();
    if (ctx.signal.aborted) throw error;
    const why =
      error instanceof ArchitectAnswerError
        ? error.message
        : `The Architect is unavailable: ${(error as Error).message}`;
    const reply = `Sorry, I could not turn that into a valid change. ${why} The Blueprint is unchanged; try rephrasing.`;
    // The reply's badge reads the model's records: they are written before the turn is.
    await deps.llm.flush();
    const { row } = await withTransaction(deps.db, (tx) =>
      commitBlueprintChange(tx, c, blueprintId, {
        kind: 'chat',
        message: content,
        answeredBy: { llmCallId: lastCall, failed: true },
        operationId: ctx.operationId,
        clock: deps.clock,
        next: (current) => ({ document: current, reply, patch: [] }),
      }),
    );
    await ctx.emit({ type: 'architect.reply', reply, version: row.version, patch: [], failed: true });
    throw new NonRetryableError(why);
  }
  await deps.llm.flush();
  const { row } = await withTransaction(deps.db, (tx) =>
    commitBlueprintChange(tx, c, blueprintId, {
      kind: 'chat',
      message: content,
      answeredBy: { llmCallId: answer.callId },
      operationId: ctx.operationId,
      clock: deps.clock,
      // Applied to the Blueprint as it is now: an edit made meanwhile is kept (or the patch fails).
      next: (current) => ({
        document: applyBlueprintPatch(current, answer.patch),
        reply: answer.reply,
        patch: answer.patch,
      }),
    }),
  );
  await ctx.emit({
    type: 'llm.usage',
    ...answer.usage,
    costUsd: answer.costUsd,
    ...(answer.model ? { model: answer.model, provider: answer.provider } : {}),
  });
  // A large patch stays out of the event (events are capped); the client reloads the Blueprint anyway.
  const patch = JSON.stringify(answer.patch).length <= 32_000 ? answer.patch : undefined;
  await ctx.emit({
    type: 'architect.reply',
    reply: answer.reply,
    version: row.version,
    ops: answer.patch.length,
    ...(patch ? { patch } : {}),
    repairs: answer.repairs,
  });
  return { reply: answer.reply, version: row.version, ops: answer.patch.length, repairs: answer.repairs };
}
