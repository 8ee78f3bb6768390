import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import type { LlmGateway } from '../gateway/create-gateway.ts';
import type { STATS_WINDOWS, StatsView } from '../schemas.ts';
import { getStats } from './get-stats.ts';

/**
 * LLM stats over a window (a project's calls for its members, every call for instance admins),
 * counting the calls this process still holds in its recorder's buffer: it is written out first.
 */
export async function readLlmStats(
  deps: { db: Queryable; clock: Clock; llm: Pick<LlmGateway, 'flush'> },
  actor: Actor,
  query: { window: keyof typeof STATS_WINDOWS; project?: string },
): Promise<StatsView> {
  await deps.llm.flush();
  return getStats(deps.db, deps.clock, actor, query);
}
