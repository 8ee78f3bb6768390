import type { OperationDetail } from '../../api/operation-types.ts';
import { Link } from '../../app/router.tsx';
import { buttonClass } from '../../widgets/button.tsx';
import { useOperation } from '../operations/live-operation.ts';
import { to } from '../projects/project-paths.ts';
import { citedSessionId, sessionOf } from './agent-session-address.ts';

/** "Open agent session", on the page of an operation that ran one. */
export function OpenAgentSessionButton({ op }: { op: OperationDetail }) {
  const href = sessionOf(op);
  if (!href) return null;
  return (
    <Link to={href} className={buttonClass('secondary')}>
      Open agent session
    </Link>
  );
}

/** A feed line's link to the session its operation ran (the operation's input says which). */
export function ActivitySessionLink({ operationId }: { operationId: string }) {
  const op = useOperation(operationId);
  const href = op.data && sessionOf(op.data);
  if (!href) return null;
  return (
    <Link to={href} className="ml-1.5 text-xs font-medium text-emerald-800 hover:underline">
      open session
    </Link>
  );
}

/** "Made by an agent session", on a merge request a session opened. */
export function MadeByAgentSession({ slug, description }: { slug: string; description: string | null }) {
  const id = citedSessionId(description);
  if (!id) return null;
  return (
    <Link to={to.agentSession(slug, id)} className="font-medium text-emerald-800 hover:underline">
      Made by an agent session
    </Link>
  );
}
