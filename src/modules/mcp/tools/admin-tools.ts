import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import {
  type ActorCache,
  AdminDelegationsQuery,
  type AgentProjects,
  AuditQuery,
  CreateServiceAccountBody,
  CreateUserBody,
  createServiceAccount,
  createUser,
  DelegationsQuery,
  listAllDelegations,
  listAudit,
  listMyDelegations,
  listServiceAccounts,
  listTokens,
  listUsers,
  revokeDelegation,
  revokeToken,
  toTokenView,
  toUserView,
  UpdateUserBody,
  updateUser,
} from '../../identity/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Cursor, Limit } from './tool-inputs.ts';

const admin = { adminOnly: true } as const;
const UserId = z.uuid('must be a user id (uuid)').describe("The user's id (list_users shows it)");
const { password: _password, ...accountFields } = UpdateUserBody.shape;

export type AdminToolDeps = {
  db: Db;
  clock: Clock;
  /** The HTTP server's credential cache: a revoked token or a disabled user is dropped from it at once. */
  cache?: ActorCache;
  /** Project slugs for delegations (the projects module's `agentProjects`). */
  projects: Pick<AgentProjects, 'slugsOf' | 'idOf'>;
};

const NOT_AGENTS = 'Agent tokens cannot list or revoke delegations';
const SERVICE_ADMIN = { adminOnly: true, delegated: 'Agent tokens cannot manage service accounts' } as const;

/**
 * admin: accounts, service accounts, API tokens, delegations and the audit log. Each tool has its
 * route's gate: users, service accounts and the audit log are for instance admins; anyone may list
 * and revoke their own tokens and delegations and change their own email. Passwords are not set,
 * nor tokens issued, over MCP: they would pass through the assistant's context.
 */
export function adminTools(res: AdminToolDeps) {
  return [
    defineTool({
      name: 'list_users',
      set: 'admin',
      title: 'List users',
      description:
        'Every account, oldest first: username, email, role (admin or member), kind and whether it is disabled.',
      input: z.object({ limit: Limit, cursor: Cursor }),
      route: { method: 'GET', url: '/api/users', config: admin },
      run: (_ctx, args) => listUsers(res.db, args),
    }),
    defineTool({
      name: 'create_user',
      set: 'admin',
      title: 'Create a user',
      description:
        'Creates an account that signs in with the password given (role member unless said otherwise).',
      input: CreateUserBody,
      route: { method: 'POST', url: '/api/users', config: admin },
      run: async (ctx, args) => toUserView(await createUser(res.db, ctx, args)),
    }),
    defineTool({
      name: 'update_user',
      set: 'admin',
      title: 'Update a user',
      description:
        "Changes an account's role, disables or re-enables it (instance admins), or changes its email (yours, or anyone's for admins). A new role or a disabled account takes effect at once, tokens included.",
      input: z
        .object({ id: UserId })
        .extend(accountFields)
        .refine((b) => Object.keys(b).length > 1, 'send at least one of role, disabled, email'),
      route: { method: 'PATCH', url: '/api/users/:id' },
      run: async (ctx, { id, ...patch }) => toUserView(await updateUser(res.db, ctx, id, patch, res.cache)),
    }),
    defineTool({
      name: 'list_tokens',
      set: 'admin',
      title: 'List your API tokens',
      description:
        'Your API tokens: name, prefix, scopes, expiry, last use and whether revoked (never the secret).',
      input: z.object({}),
      route: { method: 'GET', url: '/api/tokens' },
      run: (ctx) => listTokens(res.db, ctx.actor),
    }),
    defineTool({
      name: 'revoke_token',
      set: 'admin',
      title: 'Revoke an API token',
      description:
        'Revokes one of your API tokens (instance admins: anyone’s); it is refused everywhere at once. Revoking the token this client uses ends this connection’s access.',
      input: z.object({
        id: z.uuid('must be a token id (uuid)').describe("The token's id (list_tokens shows it)"),
      }),
      route: { method: 'DELETE', url: '/api/tokens/:id' },
      run: async (ctx, args) => toTokenView(await revokeToken(res.db, res.clock, ctx, args.id, res.cache)),
    }),
    defineTool({
      name: 'list_service_accounts',
      set: 'admin',
      title: 'List service accounts',
      description:
        'Accounts for CI, scripts and integrations (kind service): they never sign in and act only with tokens. Each with its description, role, whether disabled, how many tokens it holds (in force and ever) and when one was last used.',
      input: z.object({ limit: Limit, cursor: Cursor }),
      route: { method: 'GET', url: '/api/admin/service-accounts', config: SERVICE_ADMIN },
      run: (_ctx, args) => listServiceAccounts(res.db, res.clock, args),
    }),
    defineTool({
      name: 'create_service_account',
      set: 'admin',
      title: 'Create a service account',
      description:
        'Creates a service account: no password, never a session, tokens only (role member unless said otherwise). Add it to projects by its name like a person. Its tokens are issued in the web UI (Admin → Service accounts) or POST /api/admin/service-accounts/:id/tokens, never over MCP.',
      input: CreateServiceAccountBody,
      route: { method: 'POST', url: '/api/admin/service-accounts', config: SERVICE_ADMIN },
      run: (ctx, args) => createServiceAccount(res.db, res.clock, ctx, args),
    }),
    defineTool({
      name: 'list_delegations',
      set: 'admin',
      title: 'List your delegations',
      description:
        "The delegations made on your behalf, newest first: which project's agent acts for you, where it may push, its agent session, when it was made, last used and expires, and whether it is active, expired or revoked. Filter by project (slug), agentSessionId and active.",
      input: DelegationsQuery.extend({ limit: Limit, cursor: Cursor }),
      route: { method: 'GET', url: '/api/delegations', config: { delegated: NOT_AGENTS } },
      run: (ctx, args) => listMyDelegations(res, ctx.actor, args),
    }),
    defineTool({
      name: 'list_all_delegations',
      set: 'admin',
      title: 'List everyone’s delegations',
      description:
        'Every delegation (agent acting for a person in one project), newest first. Filter by user (the delegating person’s name), project (slug), agentSessionId and active.',
      input: AdminDelegationsQuery.extend({ limit: Limit, cursor: Cursor }),
      route: {
        method: 'GET',
        url: '/api/admin/delegations',
        config: { adminOnly: true, delegated: NOT_AGENTS },
      },
      run: (ctx, args) => listAllDelegations(res, ctx.actor, args),
    }),
    defineTool({
      name: 'revoke_delegation',
      set: 'admin',
      title: 'Revoke a delegation',
      description:
        'Revokes one delegation made on your behalf (instance admins: anyone’s): its agent token is refused everywhere at once, so the agent session’s next call fails and it delivers nothing more.',
      input: z.object({
        id: z
          .uuid('must be a delegation id (uuid)')
          .describe("The delegation's id (list_delegations shows it)"),
      }),
      route: { method: 'DELETE', url: '/api/delegations/:id', config: { delegated: NOT_AGENTS } },
      run: (ctx, args) => revokeDelegation(res, ctx, args.id, res.cache),
    }),
    defineTool({
      name: 'query_audit',
      set: 'admin',
      title: 'Query the audit log',
      description:
        'Audit log entries, newest first: who did what to which target, when, from where. Filter by actor (username), action (e.g. token.revoke), targetType, projectId and a time range (since, until); q finds words in the action, actor, target and details.',
      input: AuditQuery.extend({ limit: Limit, cursor: Cursor }),
      route: { method: 'GET', url: '/api/audit', config: admin },
      run: (_ctx, args) => listAudit(res.db, args),
    }),
  ];
}
