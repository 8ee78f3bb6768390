import type { Queryable } from '../../platform/db/pool.ts';
import { findMergeRequestRecord, type MergeRequestRow } from './merge-request-store.ts';
import { withMergeRequestNames } from './with-usernames.ts';

/** A project's merge request by number, with its author's and merger's names. */
export async function findMergeRequest(
  db: Queryable,
  projectId: string,
  number: number,
): Promise<MergeRequestRow | undefined> {
  const record = await findMergeRequestRecord(db, projectId, number);
  return record && (await withMergeRequestNames(db, [record]))[0];
}
