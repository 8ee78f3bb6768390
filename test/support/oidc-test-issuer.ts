import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** What the test issuer says about a person signing in as `login` (the subject is the login). */
export interface TestAccount {
  email?: string;
  email_verified?: boolean | string;
  preferred_username?: string;
  groups?: string[] | string;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: Orchard's configured issuer. */
  issuer: string;
  /** People who can sign in, by login (the dev login page takes any password). */
  accounts: Map<string, TestAccount>;
  /**
   * Starts answering as an OpenID provider with these clients (Orchard's callback URL is known only
   * once Orchard runs, so the issuer listens first and serves after).
   */
  serve(clients: ClientMetadata[]): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 and a random port, over plain http, with
 * its development login and consent pages: authorization code flow with PKCE required, and the
 * claims `email`, `email_verified`, `preferred_username` and `groups` served by UserInfo (as many
 * providers do: the ID token carries only `sub` and the nonce).
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end('not serving yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    issuer,
    accounts,
    serve(clients) {
      const provider = new Provider(issuer, {
        clients,
        jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
        cookies: { keys: ['orchard-test-issuer-cookie-key'] },
        pkce: { required: () => true },
        ttl: {
          Interaction: 600,
          Session: 600,
          Grant: 600,
          AccessToken: 600,
          IdToken: 600,
          AuthorizationCode: 60,
        },
        features: { devInteractions: { enabled: true } },
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['preferred_username'],
          groups: ['groups'],
        },
        async findAccount(_ctx, sub) {
          const account = accounts.get(sub);
          if (!account) return undefined;
          return { accountId: sub, claims: async () => ({ sub, ...account }) };
        },
      });
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Signs in at the issuer as a browser would, from Orchard's redirect to the provider until the
 * provider sends the browser back to `callbackOrigin`: the login page (`login`, any password) and
 * the consent page, with the provider's cookies kept. `cancel` leaves at the login page instead.
 * Returns the URL the provider redirects to (Orchard's callback with the code and state).
 */
export async function signInAtIssuer(
  authorizationUrl: string,
  login: string,
  callbackOrigin: string,
  options: { cancel?: boolean } = {},
): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    if (url.origin === callbackOrigin) return url;
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || !value) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    form = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !prompt || !action)
      throw new Error(`the issuer answered ${res.status} at ${url}:\n${html.slice(0, 2000)}`);
    if (options.cancel) {
      url = new URL(`${action.replace(/&amp;/g, '&')}/abort`, url);
      continue;
    }
    url = new URL(action.replace(/&amp;/g, '&'), url);
    form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('the issuer did not send the browser back within 20 steps');
}
