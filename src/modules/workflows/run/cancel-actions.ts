import { ConflictError } from '../../../platform/errors.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { cancelAgentSession } from '../../agents/index.ts';
import { cancelOperation } from '../../operations/index.ts';
import { stopPipeline } from '../../pipelines/index.ts';
import type { WorkflowDeps } from '../deps.ts';
import { type ActionRow, actionsToCancel, spendAction } from './action-store.ts';

/** Stops what one action started, the way its own module stops it (a pipeline's jobs, a session's agent). */
async function stop(deps: WorkflowDeps, action: ActionRow) {
  const request = { actor: SYSTEM_ACTOR, requestId: `workflow:${action.operation_id}` };
  const detail = action.detail;
  if (action.kind === 'pipeline' && typeof detail.pipelineId === 'string' && typeof detail.slug === 'string')
    return stopPipeline(deps, request, detail.slug, detail.pipelineId);
  if (action.kind === 'agent' && typeof detail.sessionId === 'string')
    return cancelAgentSession(deps.agents, request, detail.sessionId);
  return cancelOperation(deps.db, deps.registry, request, action.started_operation_id, { clock: deps.clock });
}

/**
 * Stops what the steps of runs that ended (failed or cancelled) had started and still waited for:
 * Orchard itself cancels them, then the action is spent (a retry of the run starts it anew).
 * Returns how many it stopped.
 */
export async function cancelEndedRunActions(deps: WorkflowDeps): Promise<number> {
  let stopped = 0;
  for (const action of await actionsToCancel(deps.db)) {
    try {
      await stop(deps, action);
      stopped++;
    } catch (error) {
      // Already ended: nothing to stop. Anything else is logged once; the action is given up.
      if (!(error instanceof ConflictError))
        deps.logger.warn(
          { err: error, run: action.operation_id, step: action.step_key },
          'could not stop what a workflow step had started',
        );
    }
    await spendAction(deps.db, action.operation_id, action.step_key, action.started_operation_id);
  }
  return stopped;
}
