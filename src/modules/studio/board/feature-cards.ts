import type { Queryable } from '../../../platform/db/pool.ts';
import { findUserSummaries } from '../../identity/index.ts';
import { operationsSpend } from '../../llm/index.ts';
import { findLiveOperations, findOperationTrees } from '../../operations/index.ts';
import { mergeRequestStates } from '../../reviews/index.ts';
import { allowedNext, type FeaturePhase, FULL_PATH } from '../feature-machine.ts';
import type { FeatureRow } from '../feature-store.ts';
import type { AssigneeView, BoardCard } from './board-schemas.ts';
import { findFeatureRows, listDependencyRows } from './board-store.ts';

/** Its phase's column, the blocked lane (failed counts as blocked) or the cancelled ones. */
function laneOf(phase: FeaturePhase, blocked: boolean): BoardCard['lane'] {
  if (phase === 'cancelled') return 'cancelled';
  return blocked || phase === 'failed' ? 'blocked' : phase;
}

/** The board's cards for a project's features: everything a card shows, in a handful of queries. */
export async function featureCards(
  db: Queryable,
  projectId: string,
  rows: readonly FeatureRow[],
): Promise<BoardCard[]> {
  const operationIds = rows.flatMap((r) => (r.operation_id ? [r.operation_id] : []));
  const numbers = rows.flatMap((r) => (r.merge_request_number === null ? [] : [r.merge_request_number]));
  const [edges, users, states, live, trees] = await Promise.all([
    listDependencyRows(db, projectId),
    findUserSummaries(
      db,
      rows.map((r) => r.assignee_id),
    ),
    mergeRequestStates(db, projectId, numbers),
    findLiveOperations(db, operationIds),
    findOperationTrees(db, operationIds),
  ]);
  const spend = await operationsSpend(db, [...trees.values()].flat());
  const byId = new Map(rows.map((r) => [r.id, r]));
  const dependsOn = new Map<string, string[]>();
  for (const e of edges)
    dependsOn.set(e.feature_id, [...(dependsOn.get(e.feature_id) ?? []), e.depends_on_id]);
  const outside = [...new Set(rows.flatMap((r) => dependsOn.get(r.id) ?? []))].filter((id) => !byId.has(id));
  for (const r of await findFeatureRows(db, outside)) byId.set(r.id, r);

  return rows.map((r) => {
    const waitsFor = (dependsOn.get(r.id) ?? [])
      .map((id) => byId.get(id))
      .filter((d): d is FeatureRow => d !== undefined && d.phase !== 'done');
    const finished = r.phase === 'done' || r.phase === 'cancelled';
    const blocked = r.phase === 'failed' || (!finished && waitsFor.length > 0);
    const user = r.assignee_id ? users.get(r.assignee_id) : undefined;
    const assignee: AssigneeView | null = user
      ? { key: user.username, kind: user.kind === 'human' ? 'human' : 'agent', name: user.username }
      : r.assignee_agent
        ? { key: `agent:${r.assignee_agent}`, kind: 'agent', name: r.assignee_agent }
        : null;
    const cost = (r.operation_id ? (trees.get(r.operation_id) ?? []) : []).reduce(
      (sum, id) => sum + (spend.get(id)?.costUsd ?? 0),
      0,
    );
    const failed = r.phase === 'failed' ? [...r.history].reverse().find((m) => m.to === 'failed') : undefined;
    return {
      id: r.id,
      blueprintId: r.blueprint_id,
      title: r.title ?? r.slug,
      slug: r.slug,
      kind: r.kind,
      classification: r.classification,
      phase: r.phase,
      phases: r.phases,
      lane: laneOf(r.phase, blocked),
      blockedBy: waitsFor.map((d) => ({ id: d.id, title: d.title ?? d.slug, phase: d.phase })),
      failure: failed ? (failed.reason ?? 'failed') : null,
      allowedMoves: allowedNext(r.phase, r.phases.length ? r.phases : FULL_PATH),
      building: r.operation_id !== null && live.has(r.operation_id),
      branch: r.branch,
      mergeRequest:
        r.merge_request_number === null
          ? null
          : { number: r.merge_request_number, state: states.get(r.merge_request_number) ?? null },
      assignee,
      costUsd: Math.round(cost * 1e6) / 1e6,
      operationId: r.operation_id,
      dependsOn: dependsOn.get(r.id) ?? [],
      history: r.history,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** One feature's card (after a change made to it). */
export async function featureCard(db: Queryable, projectId: string, row: FeatureRow): Promise<BoardCard> {
  return (await featureCards(db, projectId, [row]))[0]!;
}
