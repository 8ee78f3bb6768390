import { BlockList, isIP } from 'node:net';

/**
 * Where an address points, for every outbound guard (webhooks, the browser robot). `metadata` (cloud instance metadata
 * endpoints) is refused even when private targets are allowed: it hands out credentials.
 */
export type AddressClass = 'public' | 'private' | 'metadata';

const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

/** Loopback, private, link-local, CGNAT, multicast, documentation and reserved ranges. */
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

/** Classifies an IP address; anything that is not a valid address counts as private. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) return 'private';
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return classifyAddress(mapped);
  if (METADATA.has(normalizeV6(address))) return 'metadata';
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6') ? 'private' : 'public';
}

function normalizeV6(address: string): string {
  if (!address.includes(':')) return address;
  // Collapse leading zeros so `fd00:0ec2:0:0::254` and `fd00:ec2::254` compare equal.
  const url = new URL(`http://[${address}]/`);
  return url.hostname.slice(1, -1);
}
