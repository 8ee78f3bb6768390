/** The ports an entry of `network.allow` without `:port` opens: HTTPS and HTTP. */
export const DEFAULT_EGRESS_PORTS: readonly number[] = [443, 80];

/**
 * Whether `network.allow` lets a connection to `host:port` through: an entry is a host name
 * (exactly that host) or `*.name` (any subdomain of name, not name itself), optionally with
 * `:port` (only that port; otherwise 443 and 80). `host` is compared in lower case without a
 * trailing dot, as DNS treats it.
 */
export function hostAllowed(allow: readonly string[], host: string, port: number): boolean {
  const name = normalizeHost(host);
  return allow.some((entry) => {
    const match = /^(\*\.)?([^:]+)(?::(\d+))?$/.exec(entry.trim().toLowerCase());
    if (!match) return false;
    const [, wildcard, base, entryPort] = match;
    const portOk = entryPort === undefined ? DEFAULT_EGRESS_PORTS.includes(port) : Number(entryPort) === port;
    return portOk && (wildcard ? name.endsWith(`.${base}`) : name === base);
  });
}

/** A host as DNS compares it: lower case, no brackets around an IPv6 address, no trailing dot. */
export function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}
