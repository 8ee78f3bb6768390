import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { AGENT_RUNTIMES } from '../../agents/index.ts';
import { findUserByName } from '../../identity/index.ts';

/**
 * Who `assignee` names: a user (a person, or an agent principal such as the project's agent) by
 * username, an agent runtime as `agent:<runtime>`, or nobody (null).
 */
export async function resolveAssignee(
  db: Queryable,
  assignee: string | null,
): Promise<{ userId: string | null; agent: string | null }> {
  if (assignee === null) return { userId: null, agent: null };
  if (assignee.startsWith('agent:')) {
    const runtime = assignee.slice('agent:'.length);
    if (!(AGENT_RUNTIMES as readonly string[]).includes(runtime))
      throw new ValidationError(`No agent runtime "${runtime}"; use one of ${AGENT_RUNTIMES.join(', ')}.`, [
        { field: 'body.assignee', message: `is not agent:${AGENT_RUNTIMES.join('|')}` },
      ]);
    return { userId: null, agent: runtime };
  }
  const user = await findUserByName(db, assignee);
  if (!user)
    throw new ValidationError(`No user "${assignee}": give a username, agent:<runtime> or null.`, [
      { field: 'body.assignee', message: 'is not a user' },
    ]);
  return { userId: user.id, agent: null };
}
