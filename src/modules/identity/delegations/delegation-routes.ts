import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { ActorCache } from '../actor-cache.ts';
import type { AgentProjects } from '../agent-projects.ts';
import { IdParam } from '../schemas.ts';
import {
  AdminDelegationsQuery,
  DelegationPage,
  DelegationsQuery,
  DelegationView,
  RevokeDelegationsQuery,
  RevokedDelegations,
} from './delegation-schemas.ts';
import { AGENTS_CANNOT_SEE_DELEGATIONS, listAllDelegations, listMyDelegations } from './list-delegations.ts';
import { revokeDelegation } from './revoke-delegation.ts';
import { revokeDelegations } from './revoke-delegations.ts';

const tags = ['identity'];
const delegated = AGENTS_CANNOT_SEE_DELEGATIONS;

/**
 * Delegations: the tokens people delegated to agent principals (one agent session, one project).
 * Each person lists and revokes their own; instance admins list and revoke everyone's.
 */
export function delegationRoutes(
  res: Resources,
  options: { cache?: ActorCache; projects: Pick<AgentProjects, 'slugsOf' | 'idOf'> },
) {
  const deps = { db: res.db, clock: res.clock, projects: options.projects };
  const { cache } = options;
  return async (app: HttpApp) => {
    app.get(
      '/api/delegations',
      {
        config: { delegated },
        schema: { tags, querystring: DelegationsQuery, response: { 200: DelegationPage } },
      },
      async (request) => listMyDelegations(deps, contextOf(request).actor, request.query),
    );

    app.get(
      '/api/admin/delegations',
      {
        config: { adminOnly: true, delegated },
        schema: { tags, querystring: AdminDelegationsQuery, response: { 200: DelegationPage } },
      },
      async (request) => listAllDelegations(deps, contextOf(request).actor, request.query),
    );

    app.delete(
      '/api/delegations/:id',
      { config: { delegated }, schema: { tags, params: IdParam, response: { 200: DelegationView } } },
      async (request) => revokeDelegation(deps, contextOf(request), request.params.id, cache),
    );

    app.delete(
      '/api/delegations',
      {
        config: { delegated },
        schema: { tags, querystring: RevokeDelegationsQuery, response: { 200: RevokedDelegations } },
      },
      async (request) => revokeDelegations(deps, contextOf(request), request.query, cache),
    );
  };
}
