/** An address as `host:port` text: a name, an IPv4 address, or an IPv6 address in brackets. */
export interface HostPort {
  host: string;
  port: number;
}

/** `host:port` → `{ host, port }` (brackets of an IPv6 host removed); the text is assumed well-formed. */
export function parseHostPort(value: string): HostPort {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(at + 1)) };
}

/** `{ host, port }` → `host:port`, an IPv6 host in brackets. */
export function formatHostPort(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
