/**
 * The proxy's gate in front of private environments. A browser gets in with the cookie it was
 * given on the app's own host, which it gets in exchange for a one-time token: Orchard mints one
 * for a signed-in reader of the project (a browser without the cookie is sent to Orchard's
 * `/app-access?to=…` page, which signs it in if need be and calls `GET /api/app-access?to=…`),
 * and a share link carries its own until it expires. Anything else is a redirect
 * to Orchard (a page) or a 401 (anything else). Public environments pass through.
 */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { TtlCache } from '../../../platform/ttl-cache.ts';
import { currentProjectRole } from '../../projects/index.ts';
import {
  type AccessGrantRow,
  findAccessByLabel,
  findCookieGrant,
  findLiveShareLink,
  insertAccessGrant,
  type LabelAccess,
  takeExchangeGrant,
} from './access-store.ts';
import {
  APP_ACCESS_COOKIE,
  APP_ACCESS_PARAM,
  accessTokenKind,
  hashAccessToken,
  newAccessToken,
  USER_COOKIE_TTL_MS,
} from './access-tokens.ts';

export type GateDecision =
  | { kind: 'forward' }
  | { kind: 'answer'; status: number; headers: Record<string, string | string[]>; body: string };

export interface AppAccessGate {
  check(label: string, req: IncomingMessage): Promise<GateDecision>;
}

/** How long an answer from the database is trusted (a switch to public, a removed member). */
const CACHE_MS = 5_000;

function protoOf(req: IncomingMessage): 'http' | 'https' {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

/** A Cookie header's `name=value` pairs, trimmed. */
function cookiePairs(header: string | undefined): Array<{ name: string; pair: string; value: string }> {
  return String(header ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return {
        name: at > 0 ? pair.slice(0, at).trim() : '',
        pair,
        value: at > 0 ? pair.slice(at + 1).trim() : '',
      };
    });
}

const cookieValue = (req: IncomingMessage, name: string) =>
  cookiePairs(req.headers.cookie).find((c) => c.name === name)?.value;

const isLocalhost = (host: string) => /^(.+\.)?localhost(:\d+)?$/i.test(host);

/**
 * The cookie's attributes. A page framed by Orchard (the Studio's preview) is a cross-site frame
 * when Orchard and its apps do not share a site (`localhost` and `x.localhost` do not): there only a
 * partitioned cookie (`SameSite=None; Secure; Partitioned`) is kept, which browsers accept on https
 * and on localhost. Anywhere else `SameSite=Lax`.
 */
function setCookie(req: IncomingMessage, token: string, expiresAt: Date, now: Date): string {
  const https = protoOf(req) === 'https';
  const framed = req.headers['sec-fetch-dest'] === 'iframe';
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const attrs = [`${APP_ACCESS_COOKIE}=${token}`, 'Path=/', 'HttpOnly', `Max-Age=${maxAge}`];
  if (framed && (https || isLocalhost(req.headers.host ?? '')))
    attrs.push('SameSite=None', 'Secure', 'Partitioned');
  else attrs.push('SameSite=Lax', ...(https ? ['Secure'] : []));
  return attrs.join('; ');
}

const page = (status: number, title: string, text: string): GateDecision => ({
  kind: 'answer',
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`,
});

const problem = (detail: string): GateDecision => ({
  kind: 'answer',
  status: 401,
  headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail }),
});

export function createAppAccessGate(deps: {
  db: Queryable;
  clock: Clock;
  logger: Logger;
  /** Orchard's own origin as a browser on this app host (reached over `proto`) reaches it. */
  orchardOrigin(appHost: string, proto: 'http' | 'https'): string;
}): AppAccessGate {
  const labels = new TtlCache<LabelAccess | undefined>(CACHE_MS, 2_000);
  const cookies = new TtlCache<AccessGrantRow | undefined>(CACHE_MS, 2_000);
  const members = new TtlCache<boolean>(CACHE_MS, 2_000);

  const mayRead = (projectId: string, userId: string) =>
    members.get(
      `${projectId}:${userId}`,
      async () => !!(await currentProjectRole(deps.db, projectId, userId)),
    );

  /** A token from the URL (one-time exchange, or a share link) turned into the cookie, then the URL without it. */
  async function exchange(
    req: IncomingMessage,
    env: LabelAccess,
    url: URL,
    token: string,
  ): Promise<GateDecision> {
    const now = deps.clock.now();
    const kind = accessTokenKind(token);
    let grant: { userId: string | null; shareLinkId: string | null; expiresAt: Date } | undefined;
    if (kind === 'oax') {
      const taken = await takeExchangeGrant(deps.db, hashAccessToken(token), now);
      if (taken && taken.environment_id === env.environmentId)
        grant = {
          userId: taken.user_id,
          shareLinkId: taken.share_link_id,
          expiresAt: new Date(now.getTime() + USER_COOKIE_TTL_MS),
        };
    } else if (kind === 'oas') {
      const link = await findLiveShareLink(deps.db, hashAccessToken(token), now);
      if (link && link.environment_id === env.environmentId)
        grant = { userId: null, shareLinkId: link.id, expiresAt: link.expires_at };
      else
        return page(
          401,
          'This link has expired',
          'The share link has expired or was revoked. Ask whoever shared it for a new one.',
        );
    }
    url.searchParams.delete(APP_ACCESS_PARAM);
    const back = `${url.pathname}${url.search}`;
    if (!grant) {
      // A used or stale exchange token (a reload, a slow network): start over, once more through Orchard.
      return deny(req, env, url, back);
    }
    const cookie = newAccessToken('oac');
    await insertAccessGrant(deps.db, {
      tokenHash: hashAccessToken(cookie),
      environmentId: env.environmentId,
      kind: 'cookie',
      userId: grant.userId,
      shareLinkId: grant.shareLinkId,
      expiresAt: grant.expiresAt,
    });
    return {
      kind: 'answer',
      status: 302,
      headers: {
        location: back,
        'set-cookie': setCookie(req, cookie, grant.expiresAt, now),
        'cache-control': 'no-store',
      },
      body: '',
    };
  }

  function deny(req: IncomingMessage, _env: LabelAccess, url: URL, path: string): GateDecision {
    const accept = String(req.headers.accept ?? '');
    const dest = req.headers['sec-fetch-dest'];
    const navigation =
      (req.method === 'GET' || req.method === 'HEAD') &&
      (dest === 'document' || dest === 'iframe' || (!dest && accept.includes('text/html')));
    if (!navigation)
      return problem(
        'This environment is private: open it in a browser signed in to Orchard as a member of its project, or with a share link.',
      );
    const target = `${protoOf(req)}://${req.headers.host ?? url.host}${path}`;
    return {
      kind: 'answer',
      status: 302,
      headers: {
        location: `${deps.orchardOrigin(req.headers.host ?? url.host, protoOf(req))}/app-access?to=${encodeURIComponent(target)}`,
        'cache-control': 'no-store',
      },
      body: '',
    };
  }

  return {
    async check(label, req) {
      const env = await labels.get(label, () => findAccessByLabel(deps.db, label));
      // An unknown label is the proxy's 404; a public environment is anyone's.
      if (!env || env.access === 'public') return { kind: 'forward' };
      const url = new URL(req.url ?? '/', 'http://app.invalid');
      const token = url.searchParams.get(APP_ACCESS_PARAM);
      if (token) return exchange(req, env, url, token);
      const cookie = cookieValue(req, APP_ACCESS_COOKIE);
      if (cookie && accessTokenKind(cookie) === 'oac') {
        const hash = hashAccessToken(cookie);
        const grant = await cookies.get(hash, () => findCookieGrant(deps.db, hash, deps.clock.now()));
        const live =
          grant && grant.environment_id === env.environmentId && grant.expires_at > deps.clock.now();
        if (live && (!grant.user_id || (await mayRead(env.projectId, grant.user_id))))
          return { kind: 'forward' };
      }
      return deny(req, env, url, `${url.pathname}${url.search}`);
    },
  };
}

/** The Cookie header without Orchard's cookies and the access cookie: the app never sees them. */
export function stripOrchardCookies(
  header: string | undefined,
  names: readonly string[],
): string | undefined {
  if (!header) return header;
  const kept = cookiePairs(header).filter((c) => !names.includes(c.name));
  return kept.length ? kept.map((c) => c.pair).join('; ') : undefined;
}
