import type { Actor } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';

/**
 * Agent tokens touch no secret, not even the list of names: an agent acts on text it read
 * (issues, code, web pages) that may steer it, and names say what a project holds. The names a
 * pipeline uses are in its `.orchard/pipeline.yml` for the agent to read.
 */
export const AGENTS_CANNOT_USE_SECRETS = 'Agent tokens cannot read or change secrets';

export function refuseAgents(actor: Actor) {
  requireUndelegated(actor, AGENTS_CANNOT_USE_SECRETS);
}
