import { z } from 'zod';

/** The services of the catalog (`GET /api/services`). */
export const ServiceId = z.enum(['database', 'email', 'analytics', 'tracing', 'signin']);
export type ServiceId = z.infer<typeof ServiceId>;

export interface ServiceDefinition {
  id: ServiceId;
  name: string;
  description: string;
  /** The environment variables an app gets at its start while the service is attached. */
  env: { name: string; description: string }[];
  /** Every environment has it: nothing to attach or detach. */
  builtIn: boolean;
  /** `POST …/services/:id/integrate` has files to propose for it. */
  integration: boolean;
}

/** What each service is and what it gives an app; whether this instance offers it is decided at run time. */
export const SERVICE_CATALOG: readonly ServiceDefinition[] = [
  {
    id: 'database',
    name: 'Database',
    description:
      'A PostgreSQL database of its own for each environment of the project, given to the app as DATABASE_URL from its next start (deploy, publish, rollback or restart), whatever its .orchard/app.yml says. Detaching takes no database away: an environment that has one keeps it, data and all.',
    env: [{ name: 'DATABASE_URL', description: 'postgres:// URL of the environment’s own database' }],
    builtIn: false,
    integration: false,
  },
  {
    id: 'email',
    name: 'Email',
    description:
      'An SMTP relay through Orchard: what the app sends lands in the project’s dev mailbox (and, for production when the project opts in, is relayed through Orchard’s own SMTP server).',
    env: [
      { name: 'SMTP_URL', description: 'smtp://user:password@host:port' },
      { name: 'SMTP_HOST', description: 'the relay’s host (the app’s own loopback in a sandbox)' },
      { name: 'SMTP_PORT', description: 'the relay’s port' },
      { name: 'SMTP_USER', description: 'the environment’s SMTP user name' },
      { name: 'SMTP_PASSWORD', description: 'its password (AUTH PLAIN or LOGIN)' },
      { name: 'SMTP_SECURE', description: '`false`: plain SMTP (the relay never leaves this machine)' },
      { name: 'MAIL_FROM', description: 'a sender address for the environment' },
    ],
    builtIn: false,
    integration: true,
  },
  {
    id: 'analytics',
    name: 'Analytics',
    description:
      'Page views counted by Orchard’s app proxy: every successful HTML page load, per day and path. The app needs no code.',
    env: [{ name: 'ORCHARD_ANALYTICS_URL', description: 'where the numbers are shown in Orchard' }],
    builtIn: false,
    integration: false,
  },
  {
    id: 'tracing',
    name: 'Logging and tracing',
    description:
      'OpenTelemetry export to Orchard’s OTLP ingest: traces, logs and metrics per environment. Always on: every app gets these variables.',
    env: [
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', description: 'Orchard’s OTLP/HTTP base' },
      { name: 'OTEL_EXPORTER_OTLP_HEADERS', description: 'the environment’s ingest token' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', description: '`http/protobuf`' },
      { name: 'OTEL_SERVICE_NAME', description: 'the project’s slug' },
    ],
    builtIn: true,
    integration: false,
  },
  {
    id: 'signin',
    name: 'Sign-in',
    description:
      'Orchard as the OpenID Connect provider of the app: people sign in to it with their Orchard account (members of the project only). Each environment is a client of its own; ID tokens are ES256.',
    env: [
      { name: 'OIDC_ISSUER', description: 'the issuer (Orchard’s /oidc): what the ID token’s iss says' },
      { name: 'OIDC_AUTHORIZATION_ENDPOINT', description: 'where the browser is sent to sign in' },
      { name: 'OIDC_END_SESSION_ENDPOINT', description: 'where the browser is sent to sign out' },
      { name: 'OIDC_TOKEN_ENDPOINT', description: 'the code exchange, reached from the app’s server' },
      { name: 'OIDC_USERINFO_ENDPOINT', description: 'the person’s claims, reached from the app’s server' },
      { name: 'OIDC_JWKS_URI', description: 'the keys the ID tokens are signed with' },
      { name: 'OIDC_CLIENT_ID', description: 'the environment’s client id' },
      { name: 'OIDC_CLIENT_SECRET', description: 'its secret (client_secret_basic)' },
      { name: 'OIDC_REDIRECT_URI', description: 'the app’s callback: <app URL>auth/callback' },
    ],
    builtIn: false,
    integration: true,
  },
];

export function serviceDefinition(id: ServiceId): ServiceDefinition {
  const found = SERVICE_CATALOG.find((s) => s.id === id);
  if (!found) throw new Error(`unknown service ${id}`);
  return found;
}

/** Which services this instance can offer now (the email relay listens, databases are provisioned …). */
export type ServiceAvailability = (id: ServiceId) => { available: boolean; reason?: string };
