import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AdapterPayload, Configuration, KoaContextWithOIDC, default as Provider } from 'oidc-provider';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { sharedSocketPath, shareSocket } from '../../../platform/net/shared-socket.ts';
import { findUserById } from '../../identity/index.ts';
import { currentProjectRole, findProjectById } from '../../projects/index.ts';
import type { Vault } from '../../secrets/index.ts';
import { findAttachment } from '../attachment-store.ts';
import {
  type CredentialRow,
  credentialAad,
  findCredentialByUsername,
  sealedSecret,
} from '../credentials/credential-store.ts';
import { providerAdapter } from './provider-adapter.ts';
import { cookieKeys, signingJwks } from './provider-keys.ts';
import { escapeHtml, providerPage } from './provider-pages.ts';

/** Where the provider answers on Orchard's origin: its issuer is `<origin>/oidc`. */
export const ISSUER_PATH = '/oidc';
/** The back-channel endpoints an app's server calls (the only paths its sandbox socket serves). */
const BACK_CHANNEL = new Set(['/token', '/me', '/jwks', '/.well-known/openid-configuration']);
/** Where a sign-in waits for the person: Orchard's session is checked there (sign-in-routes.ts). */
export const interactionPath = (uid: string) => `/api/app-sign-in/${encodeURIComponent(uid)}`;
/** The path of an app's callback on its own origin (OIDC_REDIRECT_URI). */
export const CALLBACK_PATH = 'auth/callback';

export interface SignInProviderOptions {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  vault: Vault;
  /** Orchard's origin as browsers reach it (its public URL, else localhost on the port it listens on). */
  origin(): string;
  /** An environment's app URL, `http://<label>.<domain>:<port>/` (the deploy module's AppUrls). */
  appUrl(label: string): string;
}

/** The environment an app's client belongs to. */
export interface SignInClient {
  clientId: string;
  environmentId: string;
  projectId: string;
  label: string;
}

const clientLabel = (username: string) => username.slice(0, username.lastIndexOf('.'));

/**
 * Orchard as the OpenID Connect provider of deployed apps (the sign-in service): `oidc-provider`
 * at `<origin>/oidc`, its models in PostgreSQL (any process answers any step), its ES256 keys
 * and cookie keys derived from the master key. Each environment that attached the service is a
 * confidential client (its "signin" credential: user name as client id, password as secret)
 * whose one redirect URI is `<app URL>auth/callback`. People sign in with their Orchard session;
 * only members of the app's project (and instance admins) are let through.
 */
export class SignInProvider {
  private built: { provider: Provider; keys: string } | undefined;
  private socketServer: Server | undefined;
  private socketDir: string | undefined;

  constructor(private readonly o: SignInProviderOptions) {}

  /** The issuer identifier: what an ID token's `iss` says. */
  issuer(): string {
    return `${this.o.origin().replace(/\/+$/, '')}${ISSUER_PATH}`;
  }

  /**
   * The provider, made on first use (the origin is known once Orchard listens; the library is
   * loaded only then) and again after a key rotation.
   */
  async provider(): Promise<Provider> {
    const ring = this.o.vault.ring;
    const keys = ring
      .all()
      .map((k) => k.id)
      .join(',');
    const issuer = this.issuer();
    if (this.built?.keys === keys && this.built.provider.issuer === issuer) return this.built.provider;
    const { default: OidcProvider } = await import('oidc-provider');
    if (this.built?.keys === keys && this.built.provider.issuer === issuer) return this.built.provider;
    const provider = new OidcProvider(issuer, this.configuration());
    // Behind a TLS-terminating proxy Orchard trusts (trustProxy), its X-Forwarded-Proto counts.
    provider.proxy = this.o.config.trustProxy === true;
    provider.on('server_error', (_ctx: unknown, error: Error) =>
      this.o.logger.error({ err: error }, 'sign-in: the provider failed'),
    );
    this.built = { provider, keys };
    return provider;
  }

  /** The app client `clientId` names, when its environment still has the sign-in service attached. */
  async client(clientId: string): Promise<SignInClient | undefined> {
    return (await this.lookup(clientId))?.client;
  }

  /** The client with its credential row (the sealed secret), read once. */
  private async lookup(clientId: string): Promise<{ client: SignInClient; row: CredentialRow } | undefined> {
    if (!clientId || clientId.length > 200) return undefined;
    const row = await findCredentialByUsername(this.o.db, clientId);
    if (row?.service_id !== 'signin') return undefined;
    if (!(await findAttachment(this.o.db, row.project_id, 'signin'))) return undefined;
    const client = {
      clientId,
      environmentId: row.environment_id,
      projectId: row.project_id,
      label: clientLabel(row.username),
    };
    return { client, row };
  }

  /**
   * The HTTP server's pre-router: answers `/oidc/…` (everything of the provider but its
   * interaction page, an API route); false for any other request.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (url !== ISSUER_PATH && !url.startsWith(`${ISSUER_PATH}/`) && !url.startsWith(`${ISSUER_PATH}?`))
      return false;
    this.pass(req, res);
    return true;
  }

  /**
   * A Unix socket serving only the back-channel endpoints (token, userinfo, keys, discovery):
   * a sandboxed app reaches it on its own loopback (the services' socket relays), since its
   * private network has no way to Orchard.
   */
  async listenBackChannel(): Promise<string> {
    if (this.socketServer && this.socketDir) return path.join(this.socketDir, 'oidc.sock');
    const { dir, socket } = await sharedSocketPath('oidc', 'oidc.sock');
    this.socketDir = dir;
    const server = createServer((req, res) => {
      const pathname = (req.url ?? '').split('?', 1)[0]!;
      const inner = pathname.startsWith(`${ISSUER_PATH}/`) ? pathname.slice(ISSUER_PATH.length) : '';
      if (!BACK_CHANNEL.has(inner)) {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('Only the token, userinfo and key endpoints answer here.\n');
        return;
      }
      this.pass(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    await shareSocket(socket);
    this.socketServer = server;
    return socket;
  }

  async close(): Promise<void> {
    const server = this.socketServer;
    this.socketServer = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (this.socketDir) await rm(this.socketDir, { recursive: true, force: true });
    this.socketDir = undefined;
  }

  /** Hands a request under /oidc to the provider, with the prefix taken off (as a mount does). */
  private pass(req: IncomingMessage, res: ServerResponse) {
    const original = req.url ?? '/';
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
    req.url = original.slice(ISSUER_PATH.length) || '/';
    if (req.url.startsWith('?')) req.url = `/${req.url}`;
    this.provider().then(
      (provider) => provider.callback()(req, res),
      (error) => {
        this.o.logger.error({ err: error }, 'sign-in: the provider could not be made');
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('Sign-in is unavailable.\n');
      },
    );
  }

  private configuration(): Configuration {
    const o = this.o;
    const ring = o.vault.ring;
    return {
      adapter: providerAdapter(
        o.db,
        (id) => this.clientMetadata(id),
        () => o.clock.now(),
      ),
      jwks: { keys: signingJwks(ring) },
      cookies: { keys: cookieKeys(ring) },
      pkce: { required: () => true },
      clientBasedCORS: () => false,
      scopes: ['openid', 'email', 'profile'],
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'preferred_username', 'orchard_role'],
      },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          // `form` is oidc-provider's hidden form (its CSRF token); the buttons submit it.
          logoutSource: async (ctx, form) => {
            ctx.type = 'html';
            ctx.body = providerPage(
              'Signed out of the app',
              `${form}<p>Also end this browser's sign-in with Orchard for apps? Your Orchard session itself stays.</p>
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Yes, end it</button><button type="submit" form="op.logoutForm">No</button>`,
            );
          },
          postLogoutSuccessSource: async (ctx) => {
            ctx.type = 'html';
            ctx.body = providerPage('Signed out', '<p>You are signed out of the app.</p>');
          },
        },
        revocation: { enabled: true },
      },
      enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
      interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
      ttl: {
        AuthorizationCode: 60,
        AccessToken: 3600,
        IdToken: 3600,
        Interaction: 600,
        Grant: 14 * 24 * 3600,
        Session: 14 * 24 * 3600,
      },
      findAccount: async (ctx: KoaContextWithOIDC, sub: string) => {
        const user = await findUserById(o.db, sub);
        if (!user || user.disabled || user.kind !== 'human') return undefined;
        const client = ctx.oidc.client ? await this.client(ctx.oidc.client.clientId) : undefined;
        return {
          accountId: sub,
          claims: async () => {
            const role = client ? await currentProjectRole(o.db, client.projectId, sub) : undefined;
            return {
              sub,
              email: user.email,
              // Orchard does not prove people's addresses: apps must not treat them as verified.
              email_verified: false,
              name: user.username,
              preferred_username: user.username,
              ...(role ? { orchard_role: role } : {}),
            };
          },
        };
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = providerPage(
          'Sign-in failed',
          `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`,
        );
      },
    };
  }

  /** oidc-provider's view of an app's client (`Client` model). */
  private async clientMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const found = await this.lookup(clientId);
    if (!found) return undefined;
    const { client, row } = found;
    const secret = this.o.vault.open(sealedSecret(row), credentialAad(row.id));
    const app = this.o.appUrl(client.label);
    return {
      client_id: clientId,
      client_secret: secret,
      client_name: (await findProjectById(this.o.db, client.projectId))?.name ?? client.label,
      redirect_uris: [`${app}${CALLBACK_PATH}`],
      post_logout_redirect_uris: [app, app.replace(/\/$/, '')],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    };
  }
}
