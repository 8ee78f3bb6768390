/**
 * Sign-in with OpenID Connect, with no dependency (node:crypto and fetch only): this app is the
 * relying party, Orchard (or any OpenID provider) signs people in. Settings come from the
 * environment Orchard gives an app with the sign-in service attached: OIDC_ISSUER, OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI and the endpoints OIDC_AUTHORIZATION_ENDPOINT,
 * OIDC_TOKEN_ENDPOINT, OIDC_USERINFO_ENDPOINT, OIDC_JWKS_URI, OIDC_END_SESSION_ENDPOINT (those not
 * set are read from the issuer's /.well-known/openid-configuration).
 *
 * Authorization code flow with PKCE (S256), state and nonce; the ID token is checked against the
 * provider's keys (RS256 or ES256), issuer, audience, expiry and nonce, and the UserInfo claims are
 * added to it. The person stays signed in through an HttpOnly cookie signed with a key derived from
 * OIDC_CLIENT_SECRET (HMAC-SHA256).
 *
 *   import { createSignIn } from './lib/sign-in.js';
 *   const signIn = createSignIn();
 *   // first in the request handler: answers /auth/login, /auth/callback and /auth/logout
 *   if (await signIn.handle(req, res)) return;
 *   const user = signIn.user(req); // { sub, email, name, preferred_username, ... } or null
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';

const FLOW_SECONDS = 600;
const TIMEOUT_MS = 10_000;
const LOGIN_PATH = '/auth/login';
const LOGOUT_PATH = '/auth/logout';

/** What the ID token says about itself rather than about the person: left out of the session. */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'azp',
  'auth_time',
  'sid',
  'jti',
  'acr',
  'amr',
]);
/** Kept when the claims would not fit in a cookie otherwise. */
const CORE_CLAIMS = ['sub', 'email', 'email_verified', 'preferred_username', 'name', 'orchard_role'];

/** The signatures accepted on ID tokens, and the JWK each needs. */
const ALGORITHMS = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256', dsaEncoding: 'ieee-p1363' },
};

/** A sign-in that cannot go on: `status` and `message` for the page, `reason` for the log. */
export class SignInError extends Error {
  constructor(status, message, reason = message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** The provider and this app's client from the environment; undefined when sign-in is not set up. */
export function signInSettings(env = process.env) {
  const issuer = env.OIDC_ISSUER;
  const clientId = env.OIDC_CLIENT_ID;
  const clientSecret = env.OIDC_CLIENT_SECRET;
  const redirectUri = env.OIDC_REDIRECT_URI;
  if (!issuer || !clientId || !clientSecret || !redirectUri) return undefined;
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    endpoints: {
      authorization: env.OIDC_AUTHORIZATION_ENDPOINT || undefined,
      token: env.OIDC_TOKEN_ENDPOINT || undefined,
      userinfo: env.OIDC_USERINFO_ENDPOINT || undefined,
      jwks: env.OIDC_JWKS_URI || undefined,
      endSession: env.OIDC_END_SESSION_ENDPOINT || undefined,
    },
  };
}

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');
const randomToken = () => base64url(randomBytes(32));
const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

function sameText(a, b) {
  const left = Buffer.from(String(a ?? ''));
  const right = Buffer.from(String(b ?? ''));
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The cookies a request carries, by name (the first of a name wins). */
function readCookies(req) {
  const found = {};
  for (const part of String(req.headers?.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name && !(name in found)) found[name] = part.slice(at + 1).trim();
  }
  return found;
}

/**
 * `next` when it is a path on this app (`/orders?page=2`), else `/`: never another origin
 * (`//evil.example`, `https://…`, `/\evil.example`), never the sign-in routes themselves.
 */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const url = new URL(next, 'http://app.invalid');
    if (url.origin !== 'http://app.invalid' || url.pathname.startsWith('/auth/')) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

/**
 * Checks an ID token and returns its claims, or throws a SignInError (400) saying why not: the
 * signature (RS256 or ES256) against one of `keys` (a JWKS's `keys`), `iss` equal to `issuer`,
 * `aud` holding `clientId` (and `azp` when there are several), `exp`, `iat` and `nbf` within
 * `skewSeconds` of `now` (milliseconds), `nonce` when one is given, and a `sub`.
 */
export function verifyIdToken(
  idToken,
  { keys, issuer, clientId, nonce, now = Date.now(), skewSeconds = 60 },
) {
  const refuse = (why) =>
    new SignInError(
      400,
      'The sign-in provider sent an ID token this app cannot accept.',
      `the ID token ${why}`,
    );
  const parts = String(idToken ?? '').split('.');
  if (parts.length !== 3) throw refuse('is not a signed JWT');
  const header = parseJson(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (!isObject(header) || !Object.hasOwn(ALGORITHMS, header.alg))
    throw refuse('is not signed with RS256 or ES256');
  const algorithm = ALGORITHMS[header.alg];
  const candidates = (Array.isArray(keys) ? keys : []).filter(
    (jwk) =>
      isObject(jwk) &&
      jwk.kty === algorithm.kty &&
      (!algorithm.crv || jwk.crv === algorithm.crv) &&
      (!header.kid || jwk.kid === header.kid) &&
      (!jwk.alg || jwk.alg === header.alg) &&
      (!jwk.use || jwk.use === 'sig'),
  );
  if (!candidates.length) throw refuse('names a key the provider does not publish');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const genuine = candidates.some((jwk) => {
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      return verify(
        'sha256',
        signed,
        algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key,
        signature,
      );
    } catch {
      return false;
    }
  });
  if (!genuine) throw refuse("is not signed by the provider's keys");
  const claims = parseJson(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (!isObject(claims)) throw refuse('has no claims');
  if (claims.iss !== issuer) throw refuse('comes from another issuer');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(clientId)) throw refuse('is meant for another client');
  if ((audience.length > 1 || claims.azp !== undefined) && claims.azp !== clientId)
    throw refuse('was handed to another client (azp)');
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + skewSeconds < seconds) throw refuse('has expired');
  if (typeof claims.iat !== 'number' || claims.iat - skewSeconds > seconds)
    throw refuse('was issued in the future');
  if (typeof claims.nbf === 'number' && claims.nbf - skewSeconds > seconds) throw refuse('is not valid yet');
  if (nonce !== undefined && !sameText(claims.nonce, nonce)) throw refuse('answers another sign-in (nonce)');
  if (typeof claims.sub !== 'string' || !claims.sub) throw refuse('names nobody (sub)');
  return claims;
}

/** A small HTML page, sent with nothing cached and nothing referred. */
function sendPage(res, status, title, message, headers = {}) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    ...headers,
  });
  res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="${LOGIN_PATH}">Sign in again</a> · <a href="/">Back to the start</a></p>
</body>
</html>
`);
}

function sendRedirect(res, location, headers = {}) {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...headers });
  res.end();
}

/**
 * Sign-in for this app. `env` defaults to process.env; options: `scope` (default
 * `openid email profile`), `sessionSeconds` (how long a sign-in lasts, default 8 hours),
 * `skewSeconds` (clock difference allowed on the ID token, default 60), `now` (a clock in
 * milliseconds, default Date.now).
 *
 * Returns `{ enabled, settings, handle(req, res), user(req), requireUser(req, res), loginUrl(next) }`.
 * When the environment does not set OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
 * OIDC_REDIRECT_URI, `enabled` is false: `handle` answers nothing, `user` is null and `requireUser`
 * answers 503.
 */
export function createSignIn(env = process.env, options = {}) {
  const {
    scope = 'openid email profile',
    sessionSeconds = 8 * 3600,
    skewSeconds = 60,
    now = Date.now,
  } = options;
  const settings = signInSettings(env);
  const loginUrl = (next = '/') => {
    const path = safeNext(next);
    return path === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(path)}`;
  };

  if (!settings) {
    const named = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'];
    const missing = named.filter((name) => !env[name]);
    if (missing.length < named.length) console.warn(`Sign-in is off: ${missing.join(', ')} not set.`);
    return {
      enabled: false,
      settings: undefined,
      handle: async () => false,
      user: () => null,
      requireUser(_req, res) {
        sendPage(
          res,
          503,
          'Sign-in is not set up',
          'This page needs sign-in, and sign-in is not configured for this app.',
        );
        return null;
      },
      loginUrl,
    };
  }

  const { issuer, clientId, clientSecret, redirectUri, endpoints: given } = settings;
  const redirect = new URL(redirectUri);
  const origin = redirect.origin;
  const callbackPath = redirect.pathname;
  const secure = redirect.protocol === 'https:';
  // Apps on one host (ports differ) share cookies: the names carry the app's origin, hashed.
  const suffix = createHash('sha256').update(origin).digest('hex').slice(0, 8);
  const FLOW_COOKIE = `sign_in_flow_${suffix}`;
  const SESSION_COOKIE = `sign_in_session_${suffix}`;
  const cookieKey = Buffer.from(hkdfSync('sha256', clientSecret, 'orchard-sign-in', 'cookie signing', 32));

  // Cookies: base64url JSON, a dot, and an HMAC over the cookie's name and that JSON.
  const mac = (name, payload) =>
    createHmac('sha256', cookieKey).update(`${name}=${payload}`).digest('base64url');
  const seal = (name, data) => {
    const payload = base64url(JSON.stringify(data));
    return `${payload}.${mac(name, payload)}`;
  };
  const unseal = (name, value) => {
    if (typeof value !== 'string') return undefined;
    const dot = value.lastIndexOf('.');
    if (dot < 1 || !sameText(value.slice(dot + 1), mac(name, value.slice(0, dot)))) return undefined;
    const data = parseJson(Buffer.from(value.slice(0, dot), 'base64url').toString('utf8'));
    if (!isObject(data) || typeof data.exp !== 'number' || data.exp * 1000 <= now()) return undefined;
    return data;
  };
  const cookie = (name, value, maxAge) =>
    `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  const expired = (name) =>
    `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

  async function request(what, url, init = {}) {
    let res;
    try {
      res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw new SignInError(
        502,
        'The sign-in provider could not be reached. Try again in a moment.',
        `${what} could not be reached`,
      );
    }
    const body = parseJson(await res.text().catch(() => ''));
    return { status: res.status, ok: res.ok, body: isObject(body) ? body : undefined };
  }

  // Endpoints not given in the environment come from discovery, fetched once (again after a failure).
  let discovery;
  function discover() {
    if (discovery) return discovery;
    discovery = (async () => {
      const { ok, status, body } = await request(
        'the discovery document',
        `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
        { headers: { accept: 'application/json' } },
      );
      if (!ok || !body)
        throw new SignInError(
          502,
          'The sign-in provider is not answering as expected.',
          `discovery answered ${status}`,
        );
      if (body.issuer !== issuer)
        throw new SignInError(
          502,
          'The sign-in provider is not answering as expected.',
          'discovery names another issuer',
        );
      return {
        authorization: body.authorization_endpoint,
        token: body.token_endpoint,
        userinfo: body.userinfo_endpoint,
        jwks: body.jwks_uri,
        endSession: body.end_session_endpoint,
      };
    })();
    discovery.catch(() => {
      discovery = undefined;
    });
    return discovery;
  }
  async function endpoints(needed) {
    if (needed.every((name) => given[name])) return given;
    const found = await discover();
    const merged = {};
    for (const name of Object.keys(given)) merged[name] = given[name] || found[name] || undefined;
    if (!needed.filter((name) => name !== 'userinfo' && name !== 'endSession').every((name) => merged[name]))
      throw new SignInError(
        502,
        'The sign-in provider is not answering as expected.',
        `discovery lacks ${needed.join(', ')}`,
      );
    return merged;
  }

  // The provider's keys, cached; fetched again once when a token names a key not among them.
  let jwks;
  function keys(uri, fresh) {
    if (fresh || !jwks || jwks.uri !== uri) {
      const promise = request('the JWKS', uri, { headers: { accept: 'application/json' } }).then(
        ({ ok, status, body }) => {
          if (!ok || !Array.isArray(body?.keys))
            throw new SignInError(
              502,
              'The sign-in provider is not answering as expected.',
              `the JWKS answered ${status}`,
            );
          return body.keys;
        },
      );
      jwks = { uri, promise };
      promise.catch(() => {
        if (jwks?.promise === promise) jwks = undefined;
      });
    }
    return jwks.promise;
  }
  async function checkIdToken(idToken, uri, nonce) {
    const header = parseJson(Buffer.from(String(idToken).split('.')[0] ?? '', 'base64url').toString('utf8'));
    const kty = ALGORITHMS[header?.alg]?.kty;
    const knows = (list) => list.some((jwk) => jwk?.kty === kty && (!header?.kid || jwk.kid === header.kid));
    let list = await keys(uri, false);
    if (!knows(list)) list = await keys(uri, true);
    return verifyIdToken(idToken, { keys: list, issuer, clientId, nonce, now: now(), skewSeconds });
  }

  async function exchange(tokenEndpoint, code, verifier) {
    const form = (text) => new URLSearchParams({ v: text }).toString().slice(2);
    const basic = Buffer.from(`${form(clientId)}:${form(clientSecret)}`).toString('base64');
    const { ok, status, body } = await request('the token endpoint', tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    if (!ok || typeof body?.id_token !== 'string') {
      const error = /^[\w.-]{1,64}$/.test(body?.error ?? '') ? ` ${body.error}` : '';
      throw new SignInError(
        400,
        'The sign-in provider did not accept this sign-in (it may have expired or been used already). Try again.',
        `the token endpoint answered ${status}${error}${ok ? ' without an ID token' : ''}`,
      );
    }
    return body;
  }

  async function userInfo(endpoint, accessToken, sub) {
    const { ok, status, body } = await request('the UserInfo endpoint', endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (!ok || !body)
      throw new SignInError(
        400,
        'The sign-in provider did not share who signed in. Try again.',
        `UserInfo answered ${status}`,
      );
    if (body.sub !== sub)
      throw new SignInError(
        400,
        'The sign-in provider sent an answer this app cannot accept.',
        'UserInfo names another subject',
      );
    return body;
  }

  /** The person's claims, without the token's own; only the core ones when the rest would not fit. */
  function sessionUser(claims) {
    const user = Object.fromEntries(Object.entries(claims).filter(([name]) => !PROTOCOL_CLAIMS.has(name)));
    if (JSON.stringify(user).length <= 2500) return user;
    return Object.fromEntries(CORE_CLAIMS.filter((name) => name in user).map((name) => [name, user[name]]));
  }

  async function login(_req, res, url) {
    const next = safeNext(url.searchParams.get('next') ?? '/');
    const { authorization } = await endpoints(['authorization']);
    const state = randomToken();
    const nonce = randomToken();
    const verifier = randomToken();
    const target = new URL(authorization);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }))
      target.searchParams.set(name, value);
    const exp = Math.floor(now() / 1000) + FLOW_SECONDS;
    sendRedirect(res, target.href, {
      'set-cookie': cookie(
        FLOW_COOKIE,
        seal(FLOW_COOKIE, { state, nonce, verifier, next, exp }),
        FLOW_SECONDS,
      ),
    });
  }

  async function callback(req, res, url) {
    const flow = unseal(FLOW_COOKIE, readCookies(req)[FLOW_COOKIE]);
    const params = url.searchParams;
    const error = params.get('error');
    if (!flow)
      throw new SignInError(
        400,
        'This sign-in expired or was started in another browser. Try again.',
        'no sign-in was started in this browser (or it expired)',
      );
    if (!sameText(params.get('state'), flow.state))
      throw new SignInError(
        400,
        'This answer does not belong to the sign-in started here. Try again.',
        'the state does not match',
      );
    // Only now is the answer known to be the provider's to this browser's sign-in: its reason may be shown.
    const reason = (params.get('error_description') ?? '').slice(0, 300);
    if (error === 'access_denied')
      throw new SignInError(
        403,
        `Sign-in was cancelled or refused at the sign-in provider${reason ? `: ${reason}` : '.'}`,
        'the provider answered access_denied',
      );
    if (error) {
      const code = /^[\w.-]{1,64}$/.test(error) ? error : 'an error';
      throw new SignInError(
        400,
        `The sign-in provider answered ${code}${reason ? `: ${reason}` : ''}. Try again.`,
        `the provider answered ${code}`,
      );
    }
    if (params.has('iss') && params.get('iss') !== issuer)
      throw new SignInError(
        400,
        'This answer comes from another sign-in provider.',
        'the iss parameter names another issuer',
      );
    const code = params.get('code');
    if (!code)
      throw new SignInError(400, 'The sign-in provider sent no code. Try again.', 'the answer has no code');
    const found = await endpoints(['token', 'jwks', 'userinfo']);
    const tokens = await exchange(found.token, code, flow.verifier);
    const claims = await checkIdToken(tokens.id_token, found.jwks, flow.nonce);
    let merged = claims;
    // UserInfo's claims over the ID token's: many providers put email and profile only there.
    if (found.userinfo && typeof tokens.access_token === 'string')
      merged = { ...claims, ...(await userInfo(found.userinfo, tokens.access_token, claims.sub)) };
    const exp = Math.floor(now() / 1000) + sessionSeconds;
    const session = seal(SESSION_COOKIE, { user: sessionUser(merged), exp });
    sendRedirect(res, flow.next, {
      'set-cookie': [cookie(SESSION_COOKIE, session, sessionSeconds), expired(FLOW_COOKIE)],
    });
  }

  async function logout(_req, res) {
    let endSession;
    try {
      endSession = (await endpoints(['endSession'])).endSession;
    } catch {
      endSession = undefined;
    }
    const cleared = { 'set-cookie': [expired(SESSION_COOKIE), expired(FLOW_COOKIE)] };
    if (!endSession) return sendRedirect(res, '/', cleared);
    const target = new URL(endSession);
    target.searchParams.set('post_logout_redirect_uri', origin);
    target.searchParams.set('client_id', clientId);
    sendRedirect(res, target.href, cleared);
  }

  const routes = {
    [LOGIN_PATH]: { methods: ['GET', 'HEAD'], run: login },
    [callbackPath]: { methods: ['GET'], run: callback },
    [LOGOUT_PATH]: { methods: ['GET', 'HEAD', 'POST'], run: logout },
  };

  function user(req) {
    const session = unseal(SESSION_COOKIE, readCookies(req)[SESSION_COOKIE]);
    return isObject(session?.user) ? session.user : null;
  }

  return {
    enabled: true,
    settings: { issuer, clientId, redirectUri, endpoints: { ...given } },
    loginUrl,
    user,
    /**
     * Answers /auth/login, the callback (OIDC_REDIRECT_URI's path) and /auth/logout, resolving
     * true; resolves false for any other path, which the app answers itself.
     */
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://app.invalid');
      if (!Object.hasOwn(routes, url.pathname)) return false;
      const route = routes[url.pathname];
      if (!route.methods.includes(req.method ?? 'GET')) {
        sendPage(res, 405, 'Not allowed', `Use ${route.methods[0]} here.`, {
          allow: route.methods.join(', '),
        });
        return true;
      }
      try {
        await route.run(req, res, url);
      } catch (error) {
        const known = error instanceof SignInError;
        console.warn(`Sign-in failed: ${known ? error.reason : 'unexpected error'}`);
        if (!known) console.error(error);
        if (res.headersSent) res.destroy();
        else
          sendPage(
            res,
            known ? error.status : 500,
            known && error.status === 403 ? 'Sign-in cancelled' : 'Sign-in failed',
            known ? error.message : 'Something went wrong while signing in. Try again.',
            url.pathname === callbackPath ? { 'set-cookie': expired(FLOW_COOKIE) } : {},
          );
      }
      return true;
    },
    /**
     * The signed-in person, or null after answering: a redirect to sign-in (back to this page
     * after) for GET and HEAD, 401 for other methods.
     */
    requireUser(req, res) {
      const found = user(req);
      if (found) return found;
      if (req.method === 'GET' || req.method === 'HEAD') sendRedirect(res, loginUrl(req.url ?? '/'));
      else sendPage(res, 401, 'Sign-in needed', 'Sign in first, then try again.');
      return null;
    },
  };
}
