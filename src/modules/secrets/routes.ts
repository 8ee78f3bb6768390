import { z } from 'zod';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { AGENTS_CANNOT_USE_SECRETS } from './agent-refusal.ts';
import { deleteSecret } from './delete-secret.ts';
import { listSecrets } from './list-secrets.ts';
import { putSecret } from './put-secret.ts';
import { PatchSecretBody, PutSecretBody, SecretParams, SecretView } from './schemas.ts';
import { setSecretProtected } from './set-secret-protected.ts';
import type { Vault } from './vault.ts';

const tags = ['secrets'];

export function secretRoutes(res: Resources & { vault: Vault }) {
  const { db, vault } = res;
  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/secrets',
      {
        config: { projectRole: 'developer', delegated: AGENTS_CANNOT_USE_SECRETS },
        schema: {
          tags,
          params: z.object({ slug: z.string() }),
          response: { 200: z.object({ items: z.array(SecretView), nextCursor: z.null() }) },
        },
      },
      async (request) => listSecrets(db, contextOf(request).actor, request.params.slug),
    );

    app.put(
      '/api/projects/:slug/secrets/:name',
      {
        config: { projectRole: 'maintainer', delegated: AGENTS_CANNOT_USE_SECRETS },
        schema: {
          tags,
          params: SecretParams,
          body: PutSecretBody,
          response: { 200: SecretView, 201: SecretView },
        },
      },
      async (request, reply) => {
        const { view, created } = await putSecret(
          db,
          vault,
          contextOf(request),
          request.params.slug,
          request.params.name,
          request.body.value,
          { protected: request.body.protected },
        );
        return reply.status(created ? 201 : 200).send(view);
      },
    );

    app.patch(
      '/api/projects/:slug/secrets/:name',
      {
        config: { projectRole: 'maintainer', delegated: AGENTS_CANNOT_USE_SECRETS },
        schema: { tags, params: SecretParams, body: PatchSecretBody, response: { 200: SecretView } },
      },
      async (request) =>
        setSecretProtected(
          db,
          contextOf(request),
          request.params.slug,
          request.params.name,
          request.body.protected,
        ),
    );

    app.delete(
      '/api/projects/:slug/secrets/:name',
      {
        config: { projectRole: 'maintainer', delegated: AGENTS_CANNOT_USE_SECRETS },
        schema: { tags, params: SecretParams },
      },
      async (request, reply) => {
        await deleteSecret(db, contextOf(request), request.params.slug, request.params.name);
        return reply.status(204).send();
      },
    );
  };
}
