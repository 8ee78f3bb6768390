import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { addressRefusal } from './address-refusal.ts';

describe('which addresses the egress proxy refuses', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.8.9.10', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.20.0.1', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['100.64.0.1', 'a private address'],
    ['fd12::1', 'a private address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['0.0.0.0', 'a reserved address'],
    ['224.0.0.1', 'a reserved address'],
    // An IPv6 spelling of a private IPv4 is judged by that IPv4.
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['64:ff9b::a00:1', 'a reserved address'],
  ])('%s: %s', (address, kind) => {
    expect(addressRefusal(address)).toBe(`${address}, ${kind}`);
  });

  it("refuses this machine's own addresses, whatever their range", () => {
    const own = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal)
      .map((i) => i!.address);
    for (const address of own) expect(addressRefusal(address), address).toBeDefined();
  });

  it('lets public addresses through, and IPv4 documentation ranges off this machine', () => {
    expect(addressRefusal('1.1.1.1')).toBeUndefined();
    expect(addressRefusal('2606:4700:4700::1111')).toBeUndefined();
    expect(addressRefusal('198.51.100.7')).toBeUndefined();
  });
});
