import type { Queryable } from '../../platform/db/pool.ts';
import { findUsernames } from '../identity/index.ts';
import type { MergeRequestRecord, MergeRequestRow } from './merge-request-store.ts';
import type { CommentRecord, CommentRow, IssueRecord, IssueRow } from './store.ts';

/** Who wrote, was assigned or merged: user names asked of the identity module (null once deleted). */
async function namer(db: Queryable, ids: Array<string | null>) {
  const names = await findUsernames(db, ids);
  return (id: string | null) => (id ? (names.get(id) ?? null) : null);
}

export async function withIssueNames(db: Queryable, records: IssueRecord[]): Promise<IssueRow[]> {
  const name = await namer(
    db,
    records.flatMap((r) => [r.assignee_id, r.author_id]),
  );
  return records.map((r) => ({ ...r, assignee_name: name(r.assignee_id), author_name: name(r.author_id) }));
}

export async function withMergeRequestNames(
  db: Queryable,
  records: MergeRequestRecord[],
): Promise<MergeRequestRow[]> {
  const name = await namer(
    db,
    records.flatMap((r) => [r.author_id, r.merged_by]),
  );
  return records.map((r) => ({ ...r, author_name: name(r.author_id), merged_by_name: name(r.merged_by) }));
}

export async function withCommentNames(db: Queryable, records: CommentRecord[]): Promise<CommentRow[]> {
  const name = await namer(
    db,
    records.map((r) => r.author_id),
  );
  return records.map((r) => ({
    id: r.id,
    author_name: name(r.author_id),
    body: r.body,
    created_at: r.created_at,
  }));
}
