import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findProjectSlugs } from '../../projects/index.ts';
import { STATS_WINDOWS, type StatsView } from '../schemas.ts';
import { type SpendRow, spendBy, summarizeCalls } from './call-queries.ts';
import { callScope } from './call-scope.ts';

/**
 * LLM health and spend over a window: time to first token and duration per call (p50/p95),
 * error, retry and fallback rates, and tokens and cost by provider, model and project.
 */
export async function getStats(
  db: Queryable,
  clock: Clock,
  actor: Actor,
  query: { window: keyof typeof STATS_WINDOWS; project?: string },
): Promise<StatsView> {
  const projectId = await callScope(db, actor, query.project);
  const to = clock.now();
  const from = new Date(to.getTime() - STATS_WINDOWS[query.window] * 1000);
  const [summary, byProvider, byModel, byProject] = await Promise.all([
    summarizeCalls(db, from, to, projectId),
    spendBy(db, 'provider', from, to, projectId),
    spendBy(db, 'model', from, to, projectId),
    spendBy(db, 'project', from, to, projectId),
  ]);
  const slugs = await findProjectSlugs(
    db,
    byProject.map((r) => r.project_id),
  );
  const rate = (n: number) => (summary.calls ? round(n / summary.calls, 4) : 0);
  return {
    window: query.window,
    from: from.toISOString(),
    to: to.toISOString(),
    calls: summary.calls,
    attempts: summary.attempts,
    errorRate: rate(summary.failed),
    retryRate: rate(summary.retried),
    fallbackRate: rate(summary.fell_back),
    ttftMs: { p50: ms(summary.ttft_p50), p95: ms(summary.ttft_p95) },
    durationMs: { p50: ms(summary.duration_p50), p95: ms(summary.duration_p95) },
    costUsd: round(summary.cost, 10),
    byProvider: byProvider.map((r) => ({ provider: r.provider ?? '', ...spend(r) })),
    byModel: byModel.map((r) => ({ provider: r.provider ?? '', model: r.model ?? '', ...spend(r) })),
    byProject: byProject.map((r) => ({
      projectId: r.project_id,
      slug: r.project_id ? (slugs.get(r.project_id) ?? null) : null,
      ...spend(r),
    })),
  };
}

function spend(r: SpendRow) {
  return {
    calls: r.calls,
    attempts: r.attempts,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cachedTokens: r.cached_tokens,
    costUsd: round(r.cost, 10),
  };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
const ms = (n: number | null) => (n === null ? null : round(n, 1));
