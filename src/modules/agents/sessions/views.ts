import type { AgentSessionEntryView, AgentSessionView } from './schemas.ts';
import type { EntryRow, SessionRow } from './session-store.ts';

export function toSessionView(
  row: SessionRow,
  names: { projectSlug: string; usernames: Map<string, string> },
): AgentSessionView {
  const name = (id: string | null) => (id ? (names.usernames.get(id) ?? null) : null);
  return {
    id: row.id,
    projectId: row.project_id,
    projectSlug: names.projectSlug,
    operationId: row.operation_id,
    runtime: row.runtime,
    model: row.model,
    status: row.status,
    stopReason: row.stop_reason,
    title: row.title,
    instructions: row.instructions,
    principal: name(row.principal_id),
    startedBy: name(row.started_by),
    budget: row.budget,
    spend: {
      steps: row.steps,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      costUsd: Number(row.cost_usd),
      wallMs: Number(row.wall_ms),
    },
    branch: row.branch,
    baseSha: row.base_sha,
    headSha: row.head_sha,
    diffStat: row.diff_stat,
    mergeRequestNumber: row.merge_request_number,
    issueNumber: row.issue_number,
    summary: row.summary,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export function toEntryView(row: EntryRow): AgentSessionEntryView {
  return {
    id: Number(row.id),
    seq: row.seq,
    run: row.run,
    kind: row.kind,
    data: row.data,
    fullUrl: row.blob_key ? `/api/agent-sessions/${row.session_id}/entries/${row.seq}/full` : null,
    createdAt: row.created_at.toISOString(),
  };
}
