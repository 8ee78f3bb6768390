import { Readable } from 'node:stream';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { PageQuery } from '../../platform/http/cursor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { accountLinkRoutes } from './account-links/account-link-routes.ts';
import type { ActorCache } from './actor-cache.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import type { BudgetDefaults } from './admin/admin-schemas.ts';
import type { AgentProjects } from './agent-projects.ts';
import { AuditPage } from './audit/audit-view.ts';
import { exportAuditCsv } from './audit/export-audit-csv.ts';
import { listAudit } from './audit/list-audit.ts';
import { clearSessionCookies, setSessionCookies } from './cookies.ts';
import { createToken } from './create-token.ts';
import { createUser } from './create-user.ts';
import { delegationRoutes } from './delegations/delegation-routes.ts';
import { listTokens } from './list-tokens.ts';
import { listUsers } from './list-users.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { needsAdmin } from './needs-admin.ts';
import type { GroupMemberships } from './oidc/group-memberships.ts';
import { oidcRoutes } from './oidc/oidc-routes.ts';
import { passkeyRoutes } from './passkeys/passkey-routes.ts';
import { revokeAllSessions } from './revoke-all-sessions.ts';
import { revokeToken } from './revoke-token.ts';
import {
  AuditFilterQuery,
  AuditQuery,
  CreateTokenBody,
  CreateUserBody,
  IdParam,
  LoginBody,
  MeView,
  RevokeAllSessionsBody,
  RevokeAllSessionsView,
  SessionStartView,
  SetupAdminBody,
  TokenView,
  UpdateUserBody,
  UserListItem,
  UserView,
} from './schemas.ts';
import { serviceAccountRoutes } from './service-accounts/service-account-routes.ts';
import { setupAdmin } from './setup-admin.ts';
import { findUserById } from './store.ts';
import { updateUser } from './update-user.ts';
import { toTokenView, toUserView } from './views.ts';

const tags = ['identity'];

/**
 * `cache`: the HTTP server's credential cache, dropped at once by logouts, revocations and role
 * changes. `projects`: project slugs for listing delegations (projects sit above identity).
 * `budgets`: the LLM budgets the admin panel shows (owned by the modules that apply them).
 */
export function identityRoutes(
  res: Resources,
  options: {
    cache?: ActorCache;
    projects: Pick<AgentProjects, 'slugsOf' | 'idOf'>;
    budgets?: BudgetDefaults[];
    /** Single sign-on's project roles from groups (projects sit above identity). */
    memberships?: GroupMemberships;
  },
) {
  const { db, clock, config } = res;
  const { cache, projects } = options;
  return async (app: HttpApp) => {
    app.get(
      '/api/setup',
      {
        config: { auth: 'public' },
        schema: { tags, response: { 200: z.object({ needsAdmin: z.boolean() }) } },
      },
      async () => ({ needsAdmin: await needsAdmin(db) }),
    );

    app.post(
      '/api/setup/admin',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, body: SetupAdminBody, response: { 201: SessionStartView } },
      },
      async (request, reply) => {
        const { user, session } = await setupAdmin(db, clock, {
          ...request.body,
          ttlHours: config.sessionTtlHours,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: String(request.id),
        });
        setSessionCookies(reply, session, config.secureCookies);
        return reply.status(201).send({ user: toUserView(user), csrfToken: session.csrfToken });
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, body: LoginBody, response: { 200: SessionStartView } },
      },
      async (request, reply) => {
        const { user, session } = await login(db, clock, {
          ...request.body,
          ttlHours: config.sessionTtlHours,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: String(request.id),
        });
        setSessionCookies(reply, session, config.secureCookies);
        return { user: toUserView(user), csrfToken: session.csrfToken };
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { beforePasskey: true }, schema: { tags } },
      async (request, reply) => {
        await logout(db, contextOf(request), cache);
        clearSessionCookies(reply);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/auth/me',
      { config: { delegated: true, beforePasskey: true }, schema: { tags, response: { 200: MeView } } },
      async (request) => {
        const actor = contextOf(request).actor;
        const user = await findUserById(db, actor.userId);
        if (!user) throw new NotFoundError('Your account no longer exists.');
        const csrf = request.cookies?.orchard_csrf;
        return {
          user: toUserView(user),
          via: actor.via,
          scopes: actor.scopes,
          ...(actor.via === 'session' && csrf ? { csrfToken: csrf } : {}),
          ...(actor.delegation ? { delegation: actor.delegation } : {}),
          ...(actor.mustRegisterPasskey ? { mustRegisterPasskey: true } : {}),
        };
      },
    );

    app.post(
      '/api/admin/sessions/revoke-all',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot end sessions' },
        schema: { tags, body: RevokeAllSessionsBody, response: { 200: RevokeAllSessionsView } },
      },
      async (request) =>
        revokeAllSessions(db, contextOf(request), { exceptCurrent: request.body?.exceptCurrent, cache }),
    );

    app.get(
      '/api/tokens',
      { schema: { tags, response: { 200: z.object({ items: z.array(TokenView), nextCursor: z.null() }) } } },
      async (request) => listTokens(db, contextOf(request).actor),
    );

    app.post(
      '/api/tokens',
      {
        config: { delegated: 'Agent tokens cannot create tokens' },
        schema: { tags, body: CreateTokenBody, response: { 201: TokenView.extend({ token: z.string() }) } },
      },
      async (request, reply) => {
        const { row, token } = await createToken(db, clock, contextOf(request), request.body);
        return reply.status(201).send({ ...toTokenView(row), token });
      },
    );

    app.delete(
      '/api/tokens/:id',
      { schema: { tags, params: IdParam, response: { 200: TokenView } } },
      async (request) =>
        toTokenView(await revokeToken(db, clock, contextOf(request), request.params.id, cache)),
    );

    app.get(
      '/api/users',
      {
        config: { adminOnly: true },
        schema: {
          tags,
          querystring: PageQuery,
          response: { 200: z.object({ items: z.array(UserListItem), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listUsers(db, request.query),
    );

    app.post(
      '/api/users',
      { config: { adminOnly: true }, schema: { tags, body: CreateUserBody, response: { 201: UserView } } },
      async (request, reply) =>
        reply.status(201).send(toUserView(await createUser(db, contextOf(request), request.body))),
    );

    app.patch(
      '/api/users/:id',
      { schema: { tags, params: IdParam, body: UpdateUserBody, response: { 200: UserView } } },
      async (request) =>
        toUserView(await updateUser(db, contextOf(request), request.params.id, request.body, cache)),
    );

    app.get(
      '/api/audit',
      {
        config: { adminOnly: true },
        schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditPage } },
      },
      async (request) => listAudit(db, request.query),
    );

    app.get(
      '/api/audit/export',
      { config: { adminOnly: true }, schema: { tags: ['audit'], querystring: AuditFilterQuery } },
      async (request, reply) => {
        const { filename, rows } = exportAuditCsv(db, clock, request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(rows));
      },
    );

    await passkeyRoutes(res, { cache })(app);
    await oidcRoutes(res, { cache, memberships: options.memberships })(app);
    await accountLinkRoutes(res, { cache })(app);
    await adminRoutes(res, { budgets: options.budgets })(app);
    await serviceAccountRoutes(res)(app);
    await delegationRoutes(res, { cache, projects })(app);
  };
}
