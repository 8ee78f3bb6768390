import type { Queryable } from '../../platform/db/pool.ts';
import { findIssueRecord, type IssueRow } from './store.ts';
import { withIssueNames } from './with-usernames.ts';

/** A project's issue by number, with its author's and assignee's names. */
export async function findIssue(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<IssueRow | undefined> {
  const record = await findIssueRecord(db, projectId, number);
  return record && (await withIssueNames(db, [record]))[0];
}
