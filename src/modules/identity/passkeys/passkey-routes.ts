import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { ActorCache } from '../actor-cache.ts';
import { setSessionCookies } from '../cookies.ts';
import { IdParam, SessionStartView } from '../schemas.ts';
import { toUserView } from '../views.ts';
import { finishPasskeyRegistration } from './finish-passkey-registration.ts';
import { finishPasskeySignIn } from './finish-passkey-sign-in.ts';
import { listPasskeys } from './list-passkeys.ts';
import { passkeyCookie } from './passkey-cookie.ts';
import { getPasskeyPolicy, setPasskeyPolicy } from './passkey-policy.ts';
import {
  CreationOptions,
  PasskeyPolicyBody,
  PasskeyPolicyView,
  PasskeySignInBody,
  PasskeyView,
  RegisterPasskeyBody,
  RenamePasskeyBody,
  RequestOptions,
} from './passkey-schemas.ts';
import { toPasskeyView, toPolicyView } from './passkey-views.ts';
import { relyingParty } from './relying-party.ts';
import { renamePasskey } from './rename-passkey.ts';
import { revokePasskey } from './revoke-passkey.ts';
import { startPasskeyRegistration } from './start-passkey-registration.ts';
import { startPasskeySignIn } from './start-passkey-sign-in.ts';

const tags = ['identity'];
const AGENTS = 'Agent tokens cannot manage passkeys';
/** A person's own passkeys: from their browser session only, never with an API or agent token. */
const manage = { sessionOnly: true, delegated: AGENTS } as const;

/**
 * Passkeys (WebAuthn): registering, listing, renaming and revoking one's own from a browser
 * session; signing in with one and no password; the admin's "require passkeys" policy.
 */
export function passkeyRoutes(res: Resources, options: { cache?: ActorCache } = {}) {
  const { db, clock, config } = res;
  const { cache } = options;
  const rp = (request: FastifyRequest) => relyingParty(config.publicUrl, request);

  return async (app: HttpApp) => {
    app.get(
      '/api/passkeys',
      {
        config: { ...manage, beforePasskey: true },
        schema: { tags, response: { 200: z.object({ items: z.array(PasskeyView), nextCursor: z.null() }) } },
      },
      async (request) => listPasskeys(db, contextOf(request)),
    );

    app.post(
      '/api/passkeys/registration/options',
      { config: { ...manage, beforePasskey: true }, schema: { tags, response: { 200: CreationOptions } } },
      async (request, reply) => {
        const { options, binding } = await startPasskeyRegistration(db, clock, contextOf(request), {
          rp: rp(request),
          replacing: passkeyCookie.of(request),
        });
        passkeyCookie.set(reply, binding, config.secureCookies);
        return options;
      },
    );

    app.post(
      '/api/passkeys',
      {
        config: { ...manage, beforePasskey: true },
        schema: { tags, body: RegisterPasskeyBody, response: { 201: PasskeyView } },
      },
      async (request, reply) => {
        const row = await finishPasskeyRegistration(
          db,
          clock,
          contextOf(request),
          { rp: rp(request), binding: passkeyCookie.of(request), ...request.body },
          cache,
        );
        passkeyCookie.clear(reply);
        return reply.status(201).send(toPasskeyView(row));
      },
    );

    app.patch(
      '/api/passkeys/:id',
      {
        config: manage,
        schema: { tags, params: IdParam, body: RenamePasskeyBody, response: { 200: PasskeyView } },
      },
      async (request) =>
        toPasskeyView(await renamePasskey(db, contextOf(request), request.params.id, request.body.name)),
    );

    app.delete(
      '/api/passkeys/:id',
      { config: manage, schema: { tags, params: IdParam, response: { 200: PasskeyView } } },
      async (request) => toPasskeyView(await revokePasskey(db, contextOf(request), request.params.id)),
    );

    app.post(
      '/api/auth/passkey/options',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, response: { 200: RequestOptions } },
      },
      async (request, reply) => {
        const { options, binding } = await startPasskeySignIn(db, clock, {
          rp: rp(request),
          replacing: passkeyCookie.of(request),
        });
        passkeyCookie.set(reply, binding, config.secureCookies);
        return options;
      },
    );

    app.post(
      '/api/auth/passkey/login',
      {
        config: { auth: 'public', rateLimitBucket: 'login' },
        schema: { tags, body: PasskeySignInBody, response: { 200: SessionStartView } },
      },
      async (request, reply) => {
        const { user, session } = await finishPasskeySignIn(db, clock, {
          rp: rp(request),
          binding: passkeyCookie.of(request),
          response: request.body.response,
          ttlHours: config.sessionTtlHours,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: String(request.id),
        });
        passkeyCookie.clear(reply);
        setSessionCookies(reply, session, config.secureCookies);
        return { user: toUserView(user), csrfToken: session.csrfToken };
      },
    );

    app.get(
      '/api/admin/passkey-policy',
      { config: { adminOnly: true }, schema: { tags, response: { 200: PasskeyPolicyView } } },
      async () => toPolicyView(await getPasskeyPolicy(db)),
    );

    app.put(
      '/api/admin/passkey-policy',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot change the passkey policy' },
        schema: { tags, body: PasskeyPolicyBody, response: { 200: PasskeyPolicyView } },
      },
      async (request) =>
        toPolicyView(await setPasskeyPolicy(db, clock, contextOf(request), request.body, cache)),
    );
  };
}
