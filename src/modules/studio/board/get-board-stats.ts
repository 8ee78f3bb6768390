import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { countStepAttempts } from '../../operations/index.ts';
import type { BoardQuery } from './board-schemas.ts';
import { leadTimes } from './lead-times.ts';
import { loadBoard } from './load-board.ts';

/**
 * The board's figures for the features it shows (same filters): lead time per phase from the
 * transition histories, failure rate per step from the attempts of their builds' steps, and what
 * the LLM calls of each feature's build cost.
 */
export async function getBoardStats(db: Queryable, actor: Actor, slug: string, query: BoardQuery) {
  const { cards, rows } = await loadBoard(db, actor, slug, query);
  const times = leadTimes(rows.map((r) => ({ created: r.created_at, phase: r.phase, history: r.history })));
  const attempts = await countStepAttempts(
    db,
    rows.flatMap((r) => (r.operation_id ? [r.operation_id] : [])),
  );
  const perFeature = cards
    .map((c) => ({ id: c.id, title: c.title, costUsd: c.costUsd }))
    .sort((a, b) => b.costUsd - a.costUsd);
  return {
    features: cards.length,
    leadTimes: times.phases,
    leadTimeTotal: times.total,
    steps: attempts.map((s) => ({
      step: s.step,
      builds: s.operations,
      attempts: s.attempts,
      failures: s.failures,
      failureRate: s.attempts ? Math.round((s.failures / s.attempts) * 1000) / 1000 : 0,
    })),
    cost: {
      totalUsd: Math.round(perFeature.reduce((sum, f) => sum + f.costUsd, 0) * 1e6) / 1e6,
      perFeature,
    },
  };
}
