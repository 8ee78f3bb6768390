import type { Clock } from '../../../platform/clock.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, UnprocessableError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { reconcileBuilding } from '../build/settle-build.ts';
import type { ChatHandler } from '../deps.ts';
import { requestedBy } from '../deps.ts';
import { findBlueprint } from '../store.ts';
import { ARCHITECT_ALIAS } from './architect-llm.ts';

/**
 * The LLM Architect behind `POST /api/blueprints/:id/messages`: with a provider for `architect`
 * the turn runs as a `studio.architect-turn` operation and the answer is 202 `{operationId,
 * eventsUrl}`; without one, `auto` falls back to the rule-based Architect and `llm` is refused.
 */
export function createArchitectChat(res: {
  db: Db;
  registry: Registry;
  llm: LlmGateway;
  clock: Clock;
}): ChatHandler {
  return async (ctx, id, content, mode) => {
    if (!(await res.llm.isConfigured({ alias: ARCHITECT_ALIAS }))) {
      if (mode !== 'llm') return undefined;
      throw new UnprocessableError(
        `No LLM provider serves the "${ARCHITECT_ALIAS}" alias; configure one (llm.aliases.${ARCHITECT_ALIAS}) or chat with mode "rules".`,
      );
    }
    const { project } = await requireBlueprint(res.db, ctx.actor, id, 'developer');
    const op = await withTransaction(res.db, async (tx) => {
      const { status } = await reconcileBuilding(tx, res.clock, (await findBlueprint(tx, id, true))!);
      if (status === 'building' || status === 'discarded')
        throw new ConflictError(`The Blueprint is ${status}; it cannot be edited now.`);
      const started = await startOperation(tx, res.registry, {
        kind: 'studio.architect-turn',
        input: { blueprintId: id, content, requestedBy: requestedBy(ctx.actor) },
        actor: ctx.actor,
        projectId: project.id,
        clock: res.clock,
      });
      await recordAudit(tx, ctx, {
        action: 'operation.start',
        target: { type: 'operation', id: started.id },
        projectId: project.id,
        data: { kind: 'studio.architect-turn', blueprintId: id },
      });
      return started;
    });
    return {
      status: 202 as const,
      body: { mode: 'llm' as const, operationId: op.id, eventsUrl: `/api/operations/${op.id}/events` },
    };
  };
}
