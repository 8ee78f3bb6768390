import { type DbClient, withSavepoint } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { SessionRow } from './session-store.ts';

/**
 * A run of a session that ended with the next move its starter's: it delivered (review the merge
 * request, or send a follow-up) or it stopped on an error (send a follow-up, or assign again).
 * Budget stops and cancels are not this news: the budget has its own, and a cancel was someone's act.
 */
export interface SessionWaitingNews {
  sessionId: string;
  projectId: string;
  /** The session's run that ended (each follow-up message starts a new one). */
  run: number;
  startedBy: string;
  title: string;
  outcome: 'delivered' | 'failed';
  /** The agent's summary, or the error. */
  detail: string;
  mergeRequestNumber?: number;
}

export type OnSessionWaiting = (tx: DbClient, news: SessionWaitingNews) => Promise<void>;

/** The news of a session as it now stands, when it is waiting on a person; undefined otherwise. */
export function waitingNews(session: SessionRow, run: number): SessionWaitingNews | undefined {
  if (!session.started_by) return undefined;
  const delivered = session.status === 'succeeded';
  const failed = session.status === 'failed' && session.stop_reason !== 'budget';
  if (!delivered && !failed) return undefined;
  return {
    sessionId: session.id,
    projectId: session.project_id,
    run,
    startedBy: session.started_by,
    title: session.title,
    outcome: delivered ? 'delivered' : 'failed',
    detail: (delivered ? session.summary : session.error) ?? '',
    ...(delivered && session.merge_request_number
      ? { mergeRequestNumber: session.merge_request_number }
      : {}),
  };
}

/**
 * Hands the news to the listener inside the transaction that ended the run, under a savepoint: a
 * listener that fails is logged and undoes only its own writes, never the session's end.
 */
export async function tellSessionWaiting(
  deps: { onSessionWaiting?: OnSessionWaiting; logger: Logger },
  tx: DbClient,
  session: SessionRow,
  run: number,
): Promise<void> {
  const listener = deps.onSessionWaiting;
  const news = waitingNews(session, run);
  if (!listener || !news) return;
  await withSavepoint(
    tx,
    'session_waiting',
    () => listener(tx, news),
    (error) =>
      deps.logger.error({ err: error, session: session.id }, 'the news of a waiting session was lost'),
  );
}
