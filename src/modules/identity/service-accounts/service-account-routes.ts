import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { CreateTokenBody, IdParam, TokenView } from '../schemas.ts';
import { toTokenView } from '../views.ts';
import { createServiceAccount } from './create-service-account.ts';
import { listServiceAccounts } from './list-service-accounts.ts';
import { CreateServiceAccountBody, ServiceAccountView } from './service-account-schemas.ts';
import { issueServiceAccountToken, listServiceAccountTokens } from './service-account-tokens.ts';

const tags = ['identity'];
const admin = { adminOnly: true, delegated: 'Agent tokens cannot manage service accounts' } as const;

/**
 * Service accounts (instance admins): accounts for CI, scripts and integrations that never sign in
 * and act only with the tokens issued here. Disabled and re-enabled with `PATCH /api/users/:id`;
 * their tokens are revoked with `DELETE /api/tokens/:id`.
 */
export function serviceAccountRoutes(res: Resources) {
  const { db, clock } = res;
  return async (app: HttpApp) => {
    app.get(
      '/api/admin/service-accounts',
      {
        config: admin,
        schema: {
          tags,
          querystring: PageQuery,
          response: {
            200: z.object({ items: z.array(ServiceAccountView), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => listServiceAccounts(db, clock, request.query),
    );

    app.post(
      '/api/admin/service-accounts',
      {
        config: admin,
        schema: { tags, body: CreateServiceAccountBody, response: { 201: ServiceAccountView } },
      },
      async (request, reply) =>
        reply.status(201).send(await createServiceAccount(db, clock, contextOf(request), request.body)),
    );

    app.get(
      '/api/admin/service-accounts/:id/tokens',
      {
        config: admin,
        schema: {
          tags,
          params: IdParam,
          response: { 200: z.object({ items: z.array(TokenView), nextCursor: z.null() }) },
        },
      },
      async (request) => listServiceAccountTokens(db, clock, contextOf(request), request.params.id),
    );

    app.post(
      '/api/admin/service-accounts/:id/tokens',
      {
        config: admin,
        schema: {
          tags,
          params: IdParam,
          body: CreateTokenBody,
          response: { 201: TokenView.extend({ token: z.string() }) },
        },
      },
      async (request, reply) => {
        const { row, token } = await issueServiceAccountToken(
          db,
          clock,
          contextOf(request),
          request.params.id,
          request.body,
        );
        return reply.status(201).send({ ...toTokenView(row), token });
      },
    );
  };
}
