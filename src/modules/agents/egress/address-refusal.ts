import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';
import os from 'node:os';
import { classifyAddress } from '../../../platform/net/address-ranges.ts';

/**
 * IPv4 documentation ranges (RFC 5737). `classifyAddress` counts them as private because no public
 * host is numbered from them; but neither are Orchard's services or a private network (those are
 * loopback, RFC 1918, CGNAT, link-local — still refused), and some networks number their mirrors
 * and gateways from them. The egress proxy lets them through unless they are this machine's own
 * networks, which it refuses whatever their range.
 */
const DOCUMENTATION_V4 = subnets([
  ['192.0.2.0', 24, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
]);

/** The kinds a refusal names (the rest of what `classifyAddress` calls private is "reserved"). */
const KINDS: [string, BlockList][] = [
  [
    'a loopback address',
    subnets([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ]),
  ],
  [
    'a link-local address',
    subnets([
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
  [
    'a private address',
    subnets([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
];

/**
 * Why the egress proxy must not connect to `address`, or undefined when it may: loopback, private,
 * link-local, cloud metadata and reserved addresses, and every address of this machine and of the
 * networks it sits on (so Orchard's API, its database and the services beside it stay out of
 * reach, whatever a host name resolves to).
 */
export function addressRefusal(address: string): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'metadata') return `${address}, a cloud metadata address`;
  const documentation = isIPv4(address) && DOCUMENTATION_V4.check(address, 'ipv4');
  if (kind === 'private' && !documentation) {
    const family = isIPv6(address) ? 'ipv6' : 'ipv4';
    const named = isIP(address) ? KINDS.find(([, list]) => list.check(address, family)) : undefined;
    return `${address}, ${named?.[0] ?? 'a reserved address'}`;
  }
  if (onThisMachine(address)) return `${address}, an address of this machine or its local network`;
  return undefined;
}

/** This machine's addresses and the local networks of its interfaces (a broad prefix counts as its address only). */
function onThisMachine(address: string): boolean {
  const family = isIPv6(address) ? 'ipv6' : isIPv4(address) ? 'ipv4' : undefined;
  if (!family) return false;
  const local = new BlockList();
  for (const info of Object.values(os.networkInterfaces()).flat()) {
    if (!info) continue;
    const own = info.family === 'IPv4' ? 'ipv4' : 'ipv6';
    const prefix = Number(info.cidr?.split('/')[1] ?? (own === 'ipv4' ? 32 : 128));
    const narrow = own === 'ipv4' ? prefix >= 16 : prefix >= 48;
    local.addSubnet(info.address, narrow ? prefix : own === 'ipv4' ? 32 : 128, own);
  }
  return local.check(address, family);
}

function subnets(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of entries) list.addSubnet(net, prefix, family);
  return list;
}
