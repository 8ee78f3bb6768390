import type { DbClient } from '../../../platform/db/pool.ts';
import type { SessionWaitingNews } from '../../agents/index.ts';
import { findProjectSlugs } from '../../projects/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { notify } from './notify.ts';

/**
 * The starter of an agent session hears that it needs their input: it delivered a merge request
 * to review (or to answer with a follow-up), or it stopped on an error. Once per run of the
 * session, inside the transaction that ended it.
 */
export async function notifySessionWaiting(
  res: NotifyDeps,
  tx: DbClient,
  s: SessionWaitingNews,
): Promise<void> {
  const slug = (await findProjectSlugs(tx, [s.projectId])).get(s.projectId);
  const title = s.title.length > 120 ? `${s.title.slice(0, 119)}…` : s.title;
  await notify(res, tx, {
    kind: 'agent_needs_input',
    projectId: s.projectId,
    recipients: [s.startedBy],
    title:
      s.outcome === 'delivered'
        ? `Agent session “${title}” delivered${s.mergeRequestNumber ? ` !${s.mergeRequestNumber}` : ''}: your review or next message`
        : `Agent session “${title}” stopped and needs your input`,
    body: s.detail.slice(0, 10_000),
    ...(slug ? { link: `/projects/${encodeURIComponent(slug)}/agent-sessions/${s.sessionId}` } : {}),
    dedupeKey: `agent-session:${s.sessionId}:${s.run}:waiting`,
  });
}
