import { BlockList, isIPv4 } from 'node:net';

/**
 * Where an address points, for every outbound guard (webhooks, the browser robot). `metadata` (cloud instance metadata
 * endpoints) is refused even when private targets are allowed: it hands out credentials.
 */
export type AddressClass = 'public' | 'private' | 'metadata';

const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);
/** fd00:ec2::254, as eight groups. */
const METADATA_V6 = [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254];

/** Loopback, private, link-local, CGNAT, multicast, documentation and reserved ranges. */
const privateV4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateV4.addSubnet(net, prefix, 'ipv4');
}

/**
 * IPv6 ranges that are private in themselves. `::/96` (IPv4-compatible, deprecated) is here whatever
 * IPv4 it carries; the other forms that embed an IPv4 are judged by that IPv4 (see embeddedIPv4).
 */
const privateV6: Array<[groups: number[], prefix: number]> = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 96],
  [[0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48],
  [[0x100, 0, 0, 0, 0, 0, 0, 0], 64],
  [[0x2001, 0x2, 0, 0, 0, 0, 0, 0], 48],
  [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32],
  [[0x3fff, 0, 0, 0, 0, 0, 0, 0], 20],
  [[0xfc00, 0, 0, 0, 0, 0, 0, 0], 7],
  [[0xfe80, 0, 0, 0, 0, 0, 0, 0], 10],
  [[0xfec0, 0, 0, 0, 0, 0, 0, 0], 10],
  [[0xff00, 0, 0, 0, 0, 0, 0, 0], 8],
];

const RANK: Record<AddressClass, number> = { public: 0, private: 1, metadata: 2 };
const worst = (classes: AddressClass[]): AddressClass =>
  classes.reduce<AddressClass>((a, b) => (RANK[b] > RANK[a] ? b : a), 'public');

/**
 * Classifies an IP address (IPv4 dotted quad, or IPv6 in any spelling, bracketed or with a zone id).
 * Anything that is not a valid address counts as private, so a spelling this function does not
 * understand (`127.1`, `0x7f.1`) is never mistaken for a public host.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyIPv4(bare);
  const groups = parseIPv6(bare);
  return groups ? classifyIPv6(groups) : 'private';
}

function classifyIPv4(address: string): AddressClass {
  if (METADATA_V4.has(address)) return 'metadata';
  return privateV4.check(address, 'ipv4') ? 'private' : 'public';
}

function classifyIPv6(groups: number[]): AddressClass {
  const own: AddressClass = groups.every((g, i) => g === METADATA_V6[i])
    ? 'metadata'
    : privateV6.some(([net, prefix]) => inPrefix(groups, net, prefix))
      ? 'private'
      : 'public';
  return worst([own, ...embeddedIPv4(groups).map(classifyIPv4)]);
}

/**
 * Every IPv4 address an IPv6 address may lead to: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
 * (`::a.b.c.d`), SIIT (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`, and `64:ff9b:1::/48` at each
 * RFC 6052 position), 6to4 (`2002:AABB:CCDD::/16`), Teredo (server in bits 32..63, client in the
 * last 32 bits inverted) and ISATAP interface identifiers (`…:0:5efe:a.b.c.d`, `…:200:5efe:…`).
 */
function embeddedIPv4(g: number[]): string[] {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const found: string[] = [];
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) found.push(v4(g[6]!, g[7]!));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) found.push(v4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) found.push(v4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) {
    const b = bytes(g);
    // RFC 6052: the IPv4 sits after the prefix, skipping byte 8 (bits 64..71).
    for (const at of [
      [6, 7, 9, 10],
      [7, 9, 10, 11],
      [9, 10, 11, 12],
      [12, 13, 14, 15],
    ]) {
      found.push(at.map((i) => b[i]).join('.'));
    }
  }
  if (g[0] === 0x2002) found.push(v4(g[1]!, g[2]!));
  if (g[0] === 0x2001 && g[1] === 0) {
    found.push(v4(g[2]!, g[3]!), v4(~g[6]! & 0xffff, ~g[7]! & 0xffff));
  }
  if ((g[4]! & 0xfdff) === 0 && g[5] === 0x5efe) found.push(v4(g[6]!, g[7]!));
  return found;
}

function v4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function bytes(groups: number[]): number[] {
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function inPrefix(groups: number[], net: number[], prefix: number): boolean {
  for (let i = 0; i < 8 && prefix > 0; i++, prefix -= 16) {
    const bits = Math.min(16, prefix);
    const mask = (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/**
 * An IPv6 address as eight 16-bit groups, or undefined when it is not one. Accepts `::` compression,
 * a trailing dotted quad, any case, leading zeros and a zone id (`fe80::1%eth0`), which is dropped.
 */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.split('%')[0]!.toLowerCase();
  if (!address.includes(':')) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        if (!isIPv4(piece)) return undefined;
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // A dotted quad may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
