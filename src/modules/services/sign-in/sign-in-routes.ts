import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionResults } from 'oidc-provider';
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { authenticateSession, recordAudit, SESSION_COOKIE } from '../../identity/index.ts';
import { currentProjectRole, findProjectById } from '../../projects/index.ts';
import type { SignInProvider } from './sign-in-provider.ts';

const tags = ['services'];
const Params = z.object({ uid: z.string().min(1).max(100) });

export interface SignInRouteDeps {
  db: Db;
  clock: Clock;
  signIn: SignInProvider;
}

/**
 * Where an app's sign-in waits for the person (the provider's interaction): with an Orchard
 * session of a member of the app's project, the sign-in is granted (openid, email, profile) and the
 * browser goes back to the app; without one, to Orchard's login and back here; anyone else goes
 * back to the app with `access_denied` and the reason.
 */
export function signInRoutes(deps: SignInRouteDeps) {
  return async (app: HttpApp) => {
    app.get(
      '/api/app-sign-in/:uid',
      {
        // Reached by the browser in the middle of an app's sign-in: Orchard's session is read here.
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: {
          tags,
          description:
            "An app's sign-in with Orchard (the sign-in service): back to the app signed in (303), to /login first, back with access_denied, or (302) to its page saying it expired.",
          params: Params,
        },
      },
      async (request, reply) =>
        finish(deps, request as FastifyRequest<{ Params: z.infer<typeof Params> }>, reply),
    );
  };
}

async function finish(
  deps: SignInRouteDeps,
  request: FastifyRequest<{ Params: z.infer<typeof Params> }>,
  reply: FastifyReply,
) {
  const provider = await deps.signIn.provider();
  const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined);
  if (!details || details.uid !== request.params.uid) {
    // A browser in the middle of a sign-in: its page says what happened and what to do.
    const page = `/app-sign-in/${encodeURIComponent(request.params.uid)}?expired=1`;
    return reply.header('cache-control', 'no-store').redirect(page, 302);
  }
  const sessionId = request.cookies?.[SESSION_COOKIE];
  const actor = sessionId
    ? await authenticateSession(deps.db, deps.clock, sessionId, 'GET', undefined).catch(() => undefined)
    : undefined;
  if (!actor || actor.mustRegisterPasskey) {
    const back = `/app-sign-in/${encodeURIComponent(details.uid)}`;
    return reply.header('cache-control', 'no-store').redirect(`/login?next=${encodeURIComponent(back)}`, 302);
  }
  const clientId = String(details.params.client_id ?? '');
  const client = await deps.signIn.client(clientId);
  const project = client && (await findProjectById(deps.db, client.projectId));
  const role = project && (await currentProjectRole(deps.db, project.id, actor.userId));
  let result: InteractionResults;
  if (!client || !project) {
    result = {
      error: 'access_denied',
      error_description: 'This app no longer has Orchard’s sign-in service.',
    };
  } else if (!role) {
    result = {
      error: 'access_denied',
      error_description: `${actor.username} is not a member of the project "${project.slug}": ask one of its owners to add you.`,
    };
  } else {
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId: actor.userId, clientId }))
      : new provider.Grant({ accountId: actor.userId, clientId });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    result = { login: { accountId: actor.userId }, consent: { grantId } };
  }
  await recordAudit(
    deps.db,
    { actor, requestId: String(request.id), ip: request.ip },
    {
      action: 'error' in result ? 'app_sign_in.refuse' : 'app_sign_in.grant',
      target: { type: 'environment', id: client?.environmentId ?? null },
      projectId: project?.id ?? null,
      data: { client: clientId, label: client?.label ?? null },
    },
  );
  reply.hijack();
  await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
}
