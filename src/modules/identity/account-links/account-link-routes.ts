import type { FastifyRequest } from 'fastify';
import { orchardOrigin } from '../../../platform/http/orchard-origin.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { ActorCache } from '../actor-cache.ts';
import { setSessionCookies } from '../cookies.ts';
import { IdParam, SessionStartView } from '../schemas.ts';
import { toUserView } from '../views.ts';
import { acceptAccountLink } from './accept-account-link.ts';
import {
  AcceptAccountLinkBody,
  AccountLinkLookupView,
  AccountLinkResultView,
  CreateAccountLinkBody,
  InvitationView,
  InviteUserBody,
  LookupAccountLinkBody,
} from './account-link-schemas.ts';
import { createAccountLink } from './create-account-link.ts';
import { createInvitation, type IssuedLink } from './create-invitation.ts';
import { findLiveAccountLink } from './find-account-link.ts';

const tags = ['identity'];

const linkView = (link: IssuedLink) => ({ ...link, expiresAt: link.expiresAt.toISOString() });

/**
 * One-time links: admins invite people and make password-reset links; the person opens the link
 * (a UI page), and the page looks it up and accepts it with the password they chose. The secret
 * travels in request bodies only, never in an API URL.
 */
export function accountLinkRoutes(res: Resources, options: { cache?: ActorCache } = {}) {
  const { db, clock, config } = res;
  const { cache } = options;
  /** Orchard's address for the links: `publicUrl`, else the one the admin's request came to. */
  const originOf = (request: FastifyRequest) => orchardOrigin(config.publicUrl, request);

  return async (app: HttpApp) => {
    app.post(
      '/api/admin/invitations',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot invite people' },
        schema: { tags, body: InviteUserBody, response: { 201: InvitationView } },
      },
      async (request, reply) => {
        const { user, link } = await createInvitation(db, clock, contextOf(request), {
          ...request.body,
          origin: originOf(request),
        });
        return reply.status(201).send({ user: toUserView(user), link: linkView(link) });
      },
    );

    app.post(
      '/api/users/:id/account-links',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot make invitation or reset links' },
        schema: {
          tags,
          params: IdParam,
          body: CreateAccountLinkBody,
          response: { 201: AccountLinkResultView },
        },
      },
      async (request, reply) => {
        const { user, link, sessionsEnded } = await createAccountLink(
          db,
          clock,
          contextOf(request),
          { userId: request.params.id, purpose: request.body.purpose, origin: originOf(request) },
          cache,
        );
        return reply.status(201).send({ user: toUserView(user), link: linkView(link), sessionsEnded });
      },
    );

    app.post(
      '/api/account-links/lookup',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, body: LookupAccountLinkBody, response: { 200: AccountLinkLookupView } },
      },
      async (request) => {
        const { link, user } = await findLiveAccountLink(db, clock, request.body.token);
        return { purpose: link.purpose, username: user.username, expiresAt: link.expires_at.toISOString() };
      },
    );

    app.post(
      '/api/account-links/accept',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, body: AcceptAccountLinkBody, response: { 200: SessionStartView } },
      },
      async (request, reply) => {
        const { user, session } = await acceptAccountLink(
          db,
          clock,
          {
            ...request.body,
            ttlHours: config.sessionTtlHours,
            ip: request.ip,
            userAgent: request.headers['user-agent'],
            requestId: String(request.id),
          },
          cache,
        );
        setSessionCookies(reply, session, config.secureCookies);
        return { user: toUserView(user), csrfToken: session.csrfToken };
      },
    );
  };
}
