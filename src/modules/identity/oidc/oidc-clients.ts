import * as client from 'openid-client';
import type { OidcProviderConfig } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import { TtlCache } from '../../../platform/ttl-cache.ts';
import { OidcRefused } from './oidc-refusal.ts';

/** The configured providers and their discovered metadata, shared by the start and the callback. */
export interface OidcClients {
  readonly providers: readonly OidcProviderConfig[];
  find(name: string): OidcProviderConfig | undefined;
  /** The provider's configuration from discovery: cached, read again after an hour or a failure. */
  configuration(provider: OidcProviderConfig): Promise<client.Configuration>;
}

const DISCOVERY_TTL_MS = 60 * 60_000;
/** Discovery, the token endpoint and UserInfo each answer within this or the sign-in fails. */
const TIMEOUT_SECONDS = 10;

function clientAuth(provider: OidcProviderConfig): client.ClientAuth {
  if (!provider.clientSecret) return client.None();
  return provider.tokenEndpointAuthMethod === 'client_secret_post'
    ? client.ClientSecretPost(provider.clientSecret)
    : client.ClientSecretBasic(provider.clientSecret);
}

async function discover(provider: OidcProviderConfig): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer);
  try {
    return await client.discovery(issuer, provider.clientId, undefined, clientAuth(provider), {
      timeout: TIMEOUT_SECONDS,
      // The config allows http only for an issuer on this machine (development and tests).
      execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
    });
  } catch (error) {
    throw new OidcRefused(
      'provider_unavailable',
      `Discovery of ${provider.issuer} failed: ${(error as Error).message}`,
    );
  }
}

export function createOidcClients(providers: readonly OidcProviderConfig[], clock: Clock): OidcClients {
  const byName = new Map(providers.map((p) => [p.name, p]));
  const discovered = new TtlCache<client.Configuration>(DISCOVERY_TTL_MS, 1_000, clock);
  return {
    providers,
    find: (name) => byName.get(name),
    configuration: (provider) => discovered.get(provider.name, () => discover(provider)),
  };
}
