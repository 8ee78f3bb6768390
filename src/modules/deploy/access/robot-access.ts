import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { findEnvironmentAtUrl } from '../environment-targets.ts';
import { labelFromHost } from '../serve/host-label.ts';
import type { AppUrls } from '../serve/urls.ts';
import { insertAccessGrant } from './access-store.ts';
import { APP_ACCESS_COOKIE, hashAccessToken, newAccessToken, ROBOT_COOKIE_TTL_MS } from './access-tokens.ts';

/**
 * The cookie that lets Orchard's own browser robot (verification, automation tasks) into the
 * private environment a URL points at, through the proxy; none for a public one, another host or
 * the app's direct port (which the proxy does not guard). It lasts an hour.
 */
export async function robotAccessCookies(
  deps: { db: Queryable; config: Pick<Config, 'port' | 'deploy'>; urls: AppUrls; clock: Clock },
  raw: string,
): Promise<Array<{ name: string; value: string; url: string }>> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  if (!labelFromHost(url.host, deps.config.deploy.domain)) return [];
  const env = await findEnvironmentAtUrl(deps, url);
  if (env?.access !== 'private') return [];
  const token = newAccessToken('oac');
  await insertAccessGrant(deps.db, {
    tokenHash: hashAccessToken(token),
    environmentId: env.id,
    kind: 'cookie',
    userId: null,
    shareLinkId: null,
    expiresAt: new Date(deps.clock.now().getTime() + ROBOT_COOKIE_TTL_MS),
  });
  return [{ name: APP_ACCESS_COOKIE, value: token, url: url.origin }];
}
