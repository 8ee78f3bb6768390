import { findProjectSlugs } from '../../projects/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { notify } from './notify.ts';

/** An agent session whose LLM budget is spent, as the agents module reports it. */
export interface BudgetReachedNews {
  sessionId: string;
  projectId: string;
  startedBy: string | null;
  message: string;
}

/**
 * The person who started the session (else the project's maintainers) hears once that its budget
 * is spent: every later refused request of the session finds the notification already there.
 * Never throws: the LLM proxy's answer does not wait on the news.
 */
export async function notifyBudgetReached(res: NotifyDeps, b: BudgetReachedNews): Promise<void> {
  try {
    const slug = (await findProjectSlugs(res.db, [b.projectId])).get(b.projectId);
    await notify(res, undefined, {
      kind: 'budget_reached',
      projectId: b.projectId,
      recipients: b.startedBy
        ? [b.startedBy]
        : { projectMembers: { projectId: b.projectId, minRole: 'maintainer' } },
      title: `An agent session of ${slug ?? 'a project'} reached its LLM budget`,
      body: b.message,
      ...(slug ? { link: `/projects/${encodeURIComponent(slug)}/agent-sessions/${b.sessionId}` } : {}),
      dedupeKey: `budget:agent-session:${b.sessionId}`,
    });
  } catch (error) {
    res.logger.error({ err: error, session: b.sessionId }, 'the news of a spent budget was not recorded');
  }
}
