import type { Config } from '../../../config.ts';
import { orchardVersion } from '../../../platform/orchard-version.ts';
import type { BudgetDefaults, InstanceSummaryView } from './admin-schemas.ts';

/** A URL without any user name or password it might carry. */
function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href;
}

/**
 * The instance's set-up as an admin may see it: settings from the config that hold no secret
 * (no database URL, keys or tokens), and the LLM budgets that apply when nothing else is set.
 */
export function instanceSummary(config: Config, budgets: BudgetDefaults[]): InstanceSummaryView {
  return {
    version: orchardVersion(),
    database: config.databaseUrl ? 'external' : 'embedded',
    publicUrl: config.publicUrl ? withoutCredentials(config.publicUrl) : null,
    secureCookies: config.secureCookies,
    sessionTtlHours: config.sessionTtlHours,
    deploy: { privateByDefault: config.deploy.privateByDefault, domain: config.deploy.domain },
    workersEnabled: config.workers.enabled,
    oidcProviders: config.auth.oidc.providers.length,
    budgets,
  };
}
