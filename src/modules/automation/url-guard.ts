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
  /** Orchard's HTTP port: `<env>--<slug>.localhost:<port>` (and `.<deploymentDomain>`) are its deployments. */
  orchardPort?: number;
  /** The deploy module's app domain (`deploy.domain`); `localhost` always counts. */
  deploymentDomain?: string;
  /** Other targets that are Orchard's own deployments (the direct app ports the deploy module reports). */
  isOwnDeployment?: (target: Target) => boolean;
  /** `example.com`, `*.example.com` (subdomains), optionally with `:port`. */
  allowHosts?: readonly string[];
  /** Lets allow-listed hosts resolve to private addresses; cloud metadata addresses stay refused. */
  allowPrivate?: boolean;
  /** Every address of a host name (defaults to the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
}

export type GuardVerdict =
  | { allowed: true; why: 'own-deployment' | 'allow-listed'; addresses: string[] }
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
 * The browser's outbound policy (SSRF guard). Only Orchard's own deployments and allow-listed hosts
 * pass, and every address a host resolves to is checked. Verdicts are memoized per host and port
 * for the guard's lifetime (one task), and callers connect to the checked addresses, so a DNS answer
 * that changes mid-task (rebinding) cannot redirect the browser.
 */
export function createUrlGuard(options: UrlGuardOptions = {}): UrlGuard {
  const resolve = options.resolve ?? resolveAll;
  const allow = (options.allowHosts ?? []).map(parseHostPattern);
  const verdicts = new Map<string, Promise<GuardVerdict>>();

  const decide = async (target: Target): Promise<GuardVerdict> => {
    const host = target.hostname;
    const own =
      (target.port === options.orchardPort && isDeploymentHost(host, options.deploymentDomain)) ||
      options.isOwnDeployment?.(target);
    if (own) {
      const addresses = isLocalhostName(host)
        ? await resolveLocalhost(resolve)
        : await addressesOf(host, resolve);
      if (!addresses.length) return { allowed: false, reason: `${host} does not resolve` };
      const metadata = addresses.find((a) => classifyAddress(a) === 'metadata');
      if (metadata)
        return { allowed: false, reason: `${host} resolves to ${metadata}, a cloud metadata address` };
      return { allowed: true, why: 'own-deployment', addresses };
    }
    if (!allow.some((pattern) => pattern(host, target.port))) {
      return {
        allowed: false,
        reason: `${host}:${target.port} is neither an Orchard deployment nor in automation.allowHosts`,
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
    const normalized = { hostname: target.hostname.toLowerCase().replace(/^\[|\]$/g, ''), port: target.port };
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

/** `localhost` and `*.localhost` always mean this machine (RFC 6761); browsers never ask DNS. */
export function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** `<env>--<slug>.localhost` or `<env>--<slug>.<domain>`: the host names Orchard's app proxy answers. */
function isDeploymentHost(hostname: string, domain = 'localhost'): boolean {
  const dot = hostname.indexOf('.');
  if (dot <= 0 || !hostname.slice(0, dot).includes('--')) return false;
  const rest = hostname.slice(dot + 1);
  return rest === 'localhost' || rest === domain.toLowerCase();
}

/** A predicate for `isOwnDeployment`: these ports on this machine (the deploy module's direct ports). */
export function loopbackPorts(ports: () => Iterable<number>): (target: Target) => boolean {
  return (target) => isLoopbackName(target.hostname) && [...ports()].includes(target.port);
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
