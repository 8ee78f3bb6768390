import type { Actor } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { agentMayPushTo } from '../git/index.ts';
import type { EnvName } from './env-name.ts';

/**
 * What an agent (delegated) token may deploy: the preview of a branch it may push to
 * (`preview/orchard/…`), from that branch's head — so an agent can try its own work where a person
 * and the browser robot can see it. Staging (main's) and production stay with people, and so does
 * any other code in that preview. Its own project only: the project gate refuses every other.
 */
export function requireAgentMayDeploy(actor: Actor, env: EnvName, ref: string | undefined) {
  const delegation = actor.delegation;
  if (!delegation) return;
  const own = env.kind === 'preview' && env.branch !== undefined && agentMayPushTo(delegation, env.branch);
  if (own && (ref === undefined || ref === env.branch)) return;
  const asked = own ? `${env.name} from ${ref}` : env.name;
  requireUndelegated(
    actor,
    `Agent tokens may deploy only the preview of a branch they push to (preview/${delegation.pushBranches}), from that branch (leave ref out); ${asked} was refused`,
  );
}
