import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ForbiddenError } from '../../platform/errors.ts';
import { classifyAddress } from '../../platform/net/address-ranges.ts';

/** A host and port the browser wants to reach (protocol-agnostic: proxy tunnels do not say). */
export interface Target {
  hostname: string;
  port: number;
}

export interface UrlGuardOptions {
  /**
   * The environment under verification, as the exact host:port pairs it answers on (its host labels
   * on Orchard's port, its direct port): the only Orchard targets the task may reach. Orchard's own
   * UI and API, and every other environment, are not in it.
   */
  environment?: readonly Target[];
  /** `example.com`, `*.example.com` (subdomains), optionally with `:port`. */
  allowHosts?: readonly string[];
  /** Lets allow-listed hosts resolve to private addresses; cloud metadata addresses stay refused. */
  allowPrivate?: boolean;
  /**
   * Any host whose every address is public passes too (a design reference may be any public site);
   * private ones still need `allowHosts` and `allowPrivate`.
   */
  publicHosts?: boolean;
  /** Every address of a host name (defaults to the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
}

export type GuardVerdict =
  | { allowed: true; why: 'environment' | 'allow-listed' | 'public'; addresses: string[] }
  | { allowed: false; reason: string };

export interface UrlGuard {
  /** The verdict for a URL; allowed verdicts carry the checked addresses to connect to. */
  check(url: string | URL): Promise<GuardVerdict>;
  checkTarget(target: Target): Promise<GuardVerdict>;
  /** Throws BlockedUrlError when the URL may not be visited. */
  assert(url: string | URL): Promise<URL>;
}

export class BlockedUrlError extends ForbiddenError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`The browser may not visit ${url}: ${reason}`);
  }
}

const PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:']);
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443 };

/**
 * The browser's outbound policy (SSRF guard). Only the environment under verification and
 * allow-listed hosts pass, and every address a host resolves to is checked. Verdicts are memoized per host and port
 * for the guard's lifetime (one task), and callers connect to the checked addresses, so a DNS answer
 * that changes mid-task (rebinding) cannot redirect the browser.
 */
export function createUrlGuard(options: UrlGuardOptions = {}): UrlGuard {
  const resolve = options.resolve ?? resolveAll;
  const allow = (options.allowHosts ?? []).map(parseHostPattern);
  const environment = (options.environment ?? []).map((t) => ({
    hostname: normalizeHost(t.hostname),
    port: t.port,
  }));
  const verdicts = new Map<string, Promise<GuardVerdict>>();

  const decide = async (target: Target): Promise<GuardVerdict> => {
    const host = target.hostname;
    const own = environment.some((e) => e.hostname === host && e.port === target.port);
    if (own) {
      const addresses = isLocalhostName(host)
        ? await resolveLocalhost(resolve)
        : await addressesOf(host, resolve);
      if (!addresses.length) return { allowed: false, reason: `${host} does not resolve` };
      const metadata = addresses.find((a) => classifyAddress(a) === 'metadata');
      if (metadata)
        return { allowed: false, reason: `${host} resolves to ${metadata}, a cloud metadata address` };
      return { allowed: true, why: 'environment', addresses };
    }
    if (!allow.some((pattern) => pattern(host, target.port))) {
      if (options.publicHosts) return decidePublic(host, resolve);
      return {
        allowed: false,
        reason: `${host}:${target.port} is not the environment under verification and not in automation.allowHosts`,
      };
    }
    const addresses = isLocalhostName(host)
      ? await resolveLocalhost(resolve)
      : await addressesOf(host, resolve);
    if (!addresses.length) return { allowed: false, reason: `${host} does not resolve` };
    for (const address of addresses) {
      const kind = classifyAddress(address);
      if (kind === 'metadata') {
        return { allowed: false, reason: `${host} resolves to ${address}, a cloud metadata address` };
      }
      if (kind === 'private' && !options.allowPrivate) {
        return {
          allowed: false,
          reason: `${host} resolves to ${address}, a private, loopback or link-local address (set automation.allowPrivate to allow it)`,
        };
      }
    }
    return { allowed: true, why: 'allow-listed', addresses };
  };

  const checkTarget = (target: Target): Promise<GuardVerdict> => {
    const normalized = { hostname: normalizeHost(target.hostname), port: target.port };
    const key = `${normalized.hostname}:${normalized.port}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = decide(normalized).catch((error: Error) => ({
        allowed: false as const,
        reason: error.message,
      }));
      verdicts.set(key, verdict);
    }
    return verdict;
  };

  const check = async (raw: string | URL): Promise<GuardVerdict> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { allowed: false, reason: 'not a valid URL' };
    }
    if (!PROTOCOLS.has(url.protocol))
      return { allowed: false, reason: `${url.protocol} URLs are not allowed` };
    if (url.username || url.password)
      return { allowed: false, reason: 'URLs with credentials are not allowed' };
    return checkTarget({ hostname: url.hostname, port: Number(url.port) || DEFAULT_PORTS[url.protocol]! });
  };

  return {
    check,
    checkTarget,
    async assert(raw) {
      const verdict = await check(raw);
      if (!verdict.allowed) throw new BlockedUrlError(String(raw), verdict.reason);
      return new URL(raw);
    },
  };
}

/** A host outside the allow list passes only when every address it resolves to is public. */
async function decidePublic(
  host: string,
  resolve: (hostname: string) => Promise<string[]>,
): Promise<GuardVerdict> {
  const addresses = isLocalhostName(host)
    ? await resolveLocalhost(resolve)
    : await addressesOf(host, resolve);
  if (!addresses.length) return { allowed: false, reason: `${host} does not resolve` };
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind === 'metadata')
      return { allowed: false, reason: `${host} resolves to ${address}, a cloud metadata address` };
    if (kind === 'private')
      return {
        allowed: false,
        reason: `${host} resolves to ${address}, a private, loopback or link-local address (add it to automation.allowHosts and set automation.allowPrivate to allow it)`,
      };
  }
  return { allowed: true, why: 'public', addresses };
}

/** `localhost` and `*.localhost` always mean this machine (RFC 6761); browsers never ask DNS. */
export function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function normalizeHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '::1';
}

function parseHostPattern(entry: string): (host: string, port: number) => boolean {
  const match = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d+))?$/i.exec(entry.trim());
  if (!match)
    throw new Error(`automation.allowHosts: "${entry}" is not a host name (example.com, *.example.com:8443)`);
  const [, wildcard, name, port] = match;
  const base = name!.toLowerCase().replace(/^\[|\]$/g, '');
  return (host, targetPort) =>
    (port === undefined || Number(port) === targetPort) &&
    (wildcard ? host.endsWith(`.${base}`) : host === base);
}

async function addressesOf(
  host: string,
  resolve: (hostname: string) => Promise<string[]>,
): Promise<string[]> {
  return isIP(host) ? [host] : resolve(host);
}

async function resolveLocalhost(resolve: (hostname: string) => Promise<string[]>): Promise<string[]> {
  const addresses = await resolve('localhost').catch(() => []);
  const loopback = addresses.filter(isLoopbackName);
  return loopback.length ? loopback : ['127.0.0.1'];
}

async function resolveAll(hostname: string): Promise<string[]> {
  const records = await lookup(hostname, { all: true });
  return records.map((r) => r.address);
}
