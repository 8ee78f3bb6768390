import type { CheckRow } from './check-store.ts';
import { splitAnnotations } from './checks/check-annotations.ts';
import type { MergeRequestRow } from './merge-request-store.ts';
import type { CheckView, IssueView, MergeRequestView } from './schemas.ts';
import type { CommentRow, IssueRow } from './store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toIssueView(row: IssueRow): IssueView {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    body: row.body,
    labels: row.labels,
    assignee: row.assignee_name,
    author: row.author_name,
    state: row.state,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: iso(row.closed_at),
  };
}

export function toCheckView(row: CheckRow): CheckView {
  const { annotations, rest } = splitAnnotations(row.details);
  return {
    name: row.name,
    status: row.status,
    summary: row.summary,
    targetUrl: row.target_url,
    details: rest,
    annotations,
    updatedAt: row.updated_at.toISOString(),
    startedAt: row.started_at.toISOString(),
    completedAt: iso(row.completed_at),
  };
}

export function toMergeRequestView(row: MergeRequestRow, checks: CheckRow[]): MergeRequestView {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    sourceBranch: row.source_branch,
    targetBranch: row.target_branch,
    state: row.state,
    headSha: row.head_sha,
    mergeCommitSha: row.merge_commit_sha,
    author: row.author_name,
    mergedBy: row.merged_by_name,
    checks: checks.filter((c) => c.sha === row.head_sha).map(toCheckView),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    mergedAt: iso(row.merged_at),
    closedAt: iso(row.closed_at),
  };
}

export function toCommentView(row: CommentRow) {
  return { id: row.id, author: row.author_name, body: row.body, createdAt: row.created_at.toISOString() };
}
