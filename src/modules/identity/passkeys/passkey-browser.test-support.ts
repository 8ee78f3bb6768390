import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { SoftAuthenticator, Tamper } from './soft-authenticator.test-support.ts';

/** The address tests reach Orchard at: passkeys need a host name, and this is its origin. */
export const TEST_HOST = 'localhost:7300';
export const TEST_ORIGIN = `http://${TEST_HOST}`;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A browser over `inject()`: it keeps the cookies the server sets (session, CSRF, the passkey
 * challenge's binding) and sends the CSRF header on writes, as the web UI does.
 */
export class InjectBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly http: HttpApp,
    private readonly host = TEST_HOST,
  ) {}

  async call(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
    const csrf = this.cookies.get('orchard_csrf');
    const res = await this.http.inject({
      method,
      url,
      headers: { host: this.host, ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...headers },
      cookies: Object.fromEntries(this.cookies),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date }>) {
      if (!c.value || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async password(login: string, password: string) {
    const res = await this.call('POST', '/api/auth/login', { login, password });
    if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
    return res;
  }

  async registrationOptions(): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const res = await this.call('POST', '/api/passkeys/registration/options');
    if (res.statusCode !== 200) throw new Error(`registration options: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /** The whole ceremony: options, the authenticator's answer (tampered as asked), verification. */
  async addPasskey(authenticator: SoftAuthenticator, name = 'laptop', tamper: Tamper = {}) {
    const response = authenticator.register(await this.registrationOptions(), tamper);
    return this.call('POST', '/api/passkeys', { name, response });
  }

  async signInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const res = await this.call('POST', '/api/auth/passkey/options');
    if (res.statusCode !== 200) throw new Error(`sign-in options: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async passkeySignIn(authenticator: SoftAuthenticator, tamper: Tamper = {}) {
    const response = authenticator.signIn(await this.signInOptions(), tamper);
    return this.call('POST', '/api/auth/passkey/login', { response });
  }
}
