import type { Page } from 'playwright-core';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { PLANNER_ALIAS, Planner, type PlannerCall } from './planner.ts';
import { resolveAct } from './resolve-act.ts';
import { createVariables } from './variables.ts';

/** What a smoke suite's `act` steps need: the action cache's database and the gateway. */
export interface Planning {
  db: Queryable;
  llm?: LlmGateway;
}

/** Planner calls one verification may make for its `act` steps (cache hits cost none). */
const SMOKE_MODEL_CALLS = 30;

/**
 * `act` for a verification: the project's action cache, else the planner (when an LLM serves the
 * alias). Smoke suites have no variables or secrets, so nothing needs redacting but the snapshot.
 */
export async function smokeActResolver(
  planning: Planning,
  ctx: {
    operationId: string;
    projectId: string | null;
    signal: AbortSignal;
    onCall?: (call: PlannerCall) => unknown;
    logger?: Logger;
  },
): Promise<(page: Page, instruction: string, timeoutMs: number) => Promise<string>> {
  const llm = planning.llm;
  const planner =
    llm && (await llm.isConfigured({ alias: PLANNER_ALIAS }))
      ? new Planner({
          gateway: llm,
          context: { operationId: ctx.operationId, ...(ctx.projectId ? { projectId: ctx.projectId } : {}) },
          signal: ctx.signal,
          budget: { modelCalls: SMOKE_MODEL_CALLS },
          ...(ctx.onCall ? { onCall: ctx.onCall } : {}),
        })
      : undefined;
  const variables = createVariables({}, {});
  return async (page, instruction, timeoutMs) => {
    const outcome = await resolveAct({
      env: { page, variables, timeoutMs },
      instruction,
      projectId: ctx.projectId ?? '',
      ...(planner ? { planner } : {}),
      // The cache is per project; a verification outside one resolves every time.
      ...(ctx.projectId ? { cacheDb: planning.db } : {}),
      ...(ctx.logger ? { logger: ctx.logger } : {}),
    });
    await outcome.counted;
    return `${outcome.message} [cache ${outcome.cache}]`;
  };
}
