import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';

/**
 * What delegation needs of the projects module. Projects sit above identity (they import it), so
 * this comes in as an argument: `agentProjects(db)` from the projects module implements it.
 */
export interface AgentProjects {
  /** The project, when `actor` holds at least developer in it; throws 404 or 403 otherwise. */
  requireDeveloper(actor: Actor, projectId: string): Promise<{ id: string; slug: string }>;
  /**
   * Makes `userId` a developer of the project unless it is a member already (an owner may have
   * given the agent less, or more, on purpose: delegated tokens are capped at developer anyway).
   * True when it was added.
   */
  addAgentMember(db: Queryable, projectId: string, userId: string): Promise<boolean>;
  /** Slugs of projects by id, for listing delegations (deleted projects are absent). */
  slugsOf(ids: ReadonlyArray<string | null>): Promise<Map<string, string>>;
  /** The id of the project named `slug`, if there is one (filtering delegations by project). */
  idOf(slug: string): Promise<string | undefined>;
}
