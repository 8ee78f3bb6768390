import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../platform/errors.ts';
import { orchardOrigin } from '../../../platform/http/orchard-origin.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { ActorCache } from '../actor-cache.ts';
import { setSessionCookies } from '../cookies.ts';
import { finishOidcSignIn } from './finish-oidc-sign-in.ts';
import type { GroupMemberships } from './group-memberships.ts';
import { createOidcClients } from './oidc-clients.ts';
import { oidcCookie } from './oidc-cookie.ts';
import { OidcRefused } from './oidc-refusal.ts';
import { CallbackQuery, OidcProvidersView, ProviderParam, StartQuery } from './oidc-schemas.ts';
import { startOidcSignIn } from './start-oidc-sign-in.ts';

const tags = ['identity'];
/** Reached by the browser (a link, the provider's redirect): public, and as rate-limited as a login. */
const browserFacing = { auth: 'public', rateLimitBucket: 'login' } as const;

/**
 * Single sign-on with OpenID Connect (docs/identity.md, "Single sign-on"). A request Orchard's own
 * pages never make (an unknown provider, a `returnTo` that is not a path of Orchard's) is a 4xx
 * problem; everything that can go wrong in a real sign-in sends the browser to
 * `/login?error=<code>&provider=<name>`, where the login page says what happened.
 */
export function oidcRoutes(res: Resources, options: { cache?: ActorCache; memberships?: GroupMemberships }) {
  const { db, clock, config } = res;
  const clients = createOidcClients(config.auth.oidc.providers, clock);
  const deps = { db, clock, clients, ...options };

  const providerOf = (name: string) => {
    const provider = clients.find(name);
    if (!provider) throw new NotFoundError(`No single sign-on provider "${name}" is configured.`);
    return provider;
  };

  /** The login page, saying why; the reason itself goes to the log (never a token or the code). */
  const refused = (request: FastifyRequest, reply: FastifyReply, provider: string, error: unknown) => {
    const known = error instanceof OidcRefused;
    const code = known ? error.code : 'server_error';
    if (known && code !== 'server_error') request.log.info({ provider, code }, error.message);
    else request.log.error({ err: error, provider }, 'single sign-on failed');
    return reply.redirect(`/login?${new URLSearchParams({ error: code, provider })}`, 302);
  };

  return async (app: HttpApp) => {
    app.get(
      '/api/auth/oidc/providers',
      { config: { auth: 'public' }, schema: { tags, response: { 200: OidcProvidersView } } },
      async () => ({
        items: clients.providers.map(({ name, displayName }) => ({ name, displayName })),
      }),
    );

    app.get(
      '/api/auth/oidc/:provider/start',
      {
        config: browserFacing,
        schema: {
          tags,
          description: 'Sends the browser to the provider (302), then back to `returnTo` once signed in.',
          params: ProviderParam,
          querystring: StartQuery,
        },
      },
      async (request, reply) => {
        const provider = providerOf(request.params.provider);
        const origin = orchardOrigin(config.publicUrl, request);
        try {
          const { url, binding } = await startOidcSignIn(deps, {
            provider,
            origin,
            returnTo: request.query.returnTo ?? '/',
            replacing: oidcCookie.of(request),
          });
          oidcCookie.set(reply, binding, config.secureCookies);
          return reply.redirect(url, 302);
        } catch (error) {
          return refused(request, reply, provider.name, error);
        }
      },
    );

    app.get(
      '/api/auth/oidc/:provider/callback',
      {
        config: browserFacing,
        schema: {
          tags,
          description:
            "The provider's redirect: opens a session and sends the browser to where it was going (302), or to /login?error=<code>.",
          params: ProviderParam,
          querystring: CallbackQuery,
        },
      },
      async (request, reply) => {
        const provider = providerOf(request.params.provider);
        // The attempt is used up whatever happens: its cookie goes too.
        oidcCookie.clear(reply);
        try {
          const { session, returnTo } = await finishOidcSignIn(deps, {
            provider,
            binding: oidcCookie.of(request),
            search: new URLSearchParams(request.url.split('?')[1] ?? ''),
            ttlHours: config.sessionTtlHours,
            ip: request.ip,
            userAgent: request.headers['user-agent'],
            requestId: String(request.id),
          });
          setSessionCookies(reply, session, config.secureCookies);
          return reply.redirect(returnTo, 302);
        } catch (error) {
          return refused(request, reply, provider.name, error);
        }
      },
    );
  };
}
