import { listAttachments } from './attachment-store.ts';
import { ensureCredential } from './credentials/service-credentials.ts';
import type { ServicesDeps } from './deps.ts';
import type { RelayAddress } from './mail/smtp-relay.ts';

/** The environment an app is starting in (the deploy module's row, as much of it as this needs). */
export interface StartingEnvironment {
  id: string;
  project_id: string;
  slug: string;
  host_label: string;
}

/** Unix sockets of Orchard's listeners that a sandboxed app reaches on its own 127.0.0.1:port. */
export interface ServiceRelay {
  port: number;
  socket: string;
}

export interface AppServicesEnv {
  env: Record<string, string>;
  /** Credentials among `env`: masked in the app's log. */
  secrets: string[];
  relays: ServiceRelay[];
  /** The database service is attached: the deploy module gives each environment its own database. */
  database: boolean;
}

/**
 * What the attached services give an app at each start (the deploy runtime's `servicesEnv`):
 * email — the environment's SMTP login (made now on its first start) and the relay's address,
 * which a sandbox with its own network reaches on its loopback through the relay's Unix socket;
 * analytics — where its numbers are shown; database — only `database: true`: the deploy module
 * then provisions the environment's database and gives DATABASE_URL itself (launchAppDatabase).
 * Tracing's OTEL_* are given to every app by the observability module.
 */
/** What an app needs of the sign-in provider (sign-in/): its issuer, its back channel, the app's URL. */
export interface SignInAddress {
  issuer: string;
  /** The Unix socket serving the back-channel endpoints (none: not listening in this process). */
  socket: string | undefined;
  /** The loopback port the app reaches the back channel on: Orchard's own HTTP port. */
  port: number;
  appUrl(label: string): string;
}

export async function appServicesEnv(
  deps: Pick<ServicesDeps, 'db' | 'vault' | 'config' | 'logger'> & {
    relay(): RelayAddress | undefined;
    signIn?(): SignInAddress;
  },
  env: StartingEnvironment,
): Promise<AppServicesEnv> {
  const attached = new Set((await listAttachments(deps.db, env.project_id)).map((a) => a.service_id));
  const out: AppServicesEnv = { env: {}, secrets: [], relays: [], database: attached.has('database') };
  if (attached.has('email')) {
    const relay = deps.relay();
    if (!relay) {
      deps.logger.warn(
        { project: env.slug },
        'services: email is attached but the SMTP relay is not listening',
      );
    } else {
      const login = await ensureCredential(
        deps,
        { environmentId: env.id, projectId: env.project_id, label: env.host_label },
        'email',
      );
      const host = ['0.0.0.0', '::'].includes(relay.host) ? '127.0.0.1' : relay.host;
      const userinfo = `${encodeURIComponent(login.username)}:${encodeURIComponent(login.password)}`;
      Object.assign(out.env, {
        SMTP_URL: `smtp://${userinfo}@${host}:${relay.port}`,
        SMTP_HOST: host,
        SMTP_PORT: String(relay.port),
        SMTP_USER: login.username,
        SMTP_PASSWORD: login.password,
        SMTP_SECURE: 'false',
        MAIL_FROM: `no-reply@${env.host_label}.${deps.config.deploy.domain}`,
      });
      out.secrets.push(login.password);
      out.relays.push({ port: relay.port, socket: relay.socket });
    }
  }
  if (attached.has('signin')) {
    const signIn = deps.signIn?.();
    if (!signIn?.socket) {
      deps.logger.warn(
        { project: env.slug },
        'services: sign-in is attached but its back channel is not listening',
      );
    } else {
      const client = await ensureCredential(
        deps,
        { environmentId: env.id, projectId: env.project_id, label: env.host_label },
        'signin',
      );
      // The browser goes to the issuer's own URLs; the app's server reaches the back channel on
      // its loopback (relayed to the socket in a sandbox, Orchard itself on the host network).
      const back = `http://127.0.0.1:${signIn.port}${new URL(signIn.issuer).pathname}`;
      Object.assign(out.env, {
        OIDC_ISSUER: signIn.issuer,
        OIDC_AUTHORIZATION_ENDPOINT: `${signIn.issuer}/auth`,
        OIDC_END_SESSION_ENDPOINT: `${signIn.issuer}/session/end`,
        OIDC_TOKEN_ENDPOINT: `${back}/token`,
        OIDC_USERINFO_ENDPOINT: `${back}/me`,
        OIDC_JWKS_URI: `${back}/jwks`,
        OIDC_CLIENT_ID: client.username,
        OIDC_CLIENT_SECRET: client.password,
        OIDC_REDIRECT_URI: `${signIn.appUrl(env.host_label)}auth/callback`,
      });
      out.secrets.push(client.password);
      out.relays.push({ port: signIn.port, socket: signIn.socket });
    }
  }
  if (attached.has('analytics')) {
    const base = deps.config.publicUrl ?? `http://localhost:${deps.config.port}`;
    out.env.ORCHARD_ANALYTICS_URL = `${base.replace(/\/+$/, '')}/projects/${encodeURIComponent(env.slug)}/services`;
  }
  return out;
}
