import { describe, expect, it } from 'vitest';
import { type AddressClass, classifyAddress } from './address-ranges.ts';

const table = (rows: Array<[string, AddressClass]>) =>
  rows.map(([address, expected]) => ({ address, expected }));

describe('classifyAddress', () => {
  it.each(
    table([
      ['93.184.216.34', 'public'],
      ['8.8.8.8', 'public'],
      ['127.0.0.1', 'private'],
      ['127.255.0.9', 'private'],
      ['0.0.0.0', 'private'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['169.254.1.1', 'private'],
      ['192.88.99.1', 'private'],
      ['224.0.0.1', 'private'],
      ['255.255.255.255', 'private'],
      ['169.254.169.254', 'metadata'],
      ['169.254.170.2', 'metadata'],
      ['100.100.100.200', 'metadata'],
    ]),
  )('IPv4 $address is $expected', ({ address, expected }) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(
    table([
      ['2606:4700:4700::1111', 'public'],
      ['::1', 'private'],
      ['0:0:0:0:0:0:0:1', 'private'],
      ['::', 'private'],
      ['fe80::1', 'private'],
      ['fe80::1%eth0', 'private'],
      ['FE80::1%25', 'private'],
      ['fec0::1', 'private'],
      ['fd12:3456::1', 'private'],
      ['ff02::1', 'private'],
      ['2001:db8::1', 'private'],
      ['100::1', 'private'],
      ['fd00:ec2::254', 'metadata'],
      ['fd00:0ec2:0:0::254', 'metadata'],
      ['FD00:EC2::254', 'metadata'],
    ]),
  )('IPv6 $address is $expected', ({ address, expected }) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  // Every IPv6 form that carries an IPv4 address is refused as that IPv4 would be.
  it.each(
    table([
      // IPv4-mapped, dotted and hex, compressed and not, any case.
      ['::ffff:127.0.0.1', 'private'],
      ['::FFFF:127.0.0.1', 'private'],
      ['::ffff:7f00:1', 'private'],
      ['0:0:0:0:0:ffff:7f00:1', 'private'],
      ['0000:0000:0000:0000:0000:FFFF:7F00:0001', 'private'],
      ['::ffff:192.168.0.1', 'private'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['::ffff:a9fe:a9fe', 'metadata'],
      ['::ffff:93.184.216.34', 'public'],
      ['::ffff:5db8:d822', 'public'],
      // IPv4-compatible (deprecated: never a legitimate target).
      ['::127.0.0.1', 'private'],
      ['::7f00:1', 'private'],
      ['0:0:0:0:0:0:7f00:1', 'private'],
      ['::a9fe:a9fe', 'metadata'],
      ['::169.254.169.254', 'metadata'],
      ['::93.184.216.34', 'private'],
      // SIIT IPv4-translated (::ffff:0:0:0/96).
      ['::ffff:0:127.0.0.1', 'private'],
      ['::ffff:0:a9fe:a9fe', 'metadata'],
      // 6to4: the IPv4 is bits 16..47.
      ['2002:7f00:1::1', 'private'],
      ['2002:7F00:0001:0:0:0:0:1', 'private'],
      ['2002:a00:1::', 'private'],
      ['2002:c0a8:101::1', 'private'],
      ['2002:a9fe:a9fe::1', 'metadata'],
      ['2002:5db8:d822::1', 'public'],
      // NAT64 well-known prefix: the IPv4 is the last 32 bits.
      ['64:ff9b::127.0.0.1', 'private'],
      ['64:ff9b::7f00:1', 'private'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['64:ff9b::5db8:d822', 'public'],
      // NAT64 local-use prefix (RFC 8215): never public; a metadata IPv4 inside stays metadata.
      ['64:ff9b:1::5db8:d822', 'private'],
      ['64:ff9b:1:a9fe:a9:fe00::', 'metadata'],
      // Teredo: server is bits 32..63, client is the last 32 bits inverted.
      ['2001:0:5db8:d822:0:0:80ff:fffe', 'private'], // client 127.0.0.1
      ['2001::5db8:d822:0:0:5647:27dd', 'public'], // client 169.184.216.34, server 93.184.216.34
      ['2001:0:7f00:1::5647:27dd', 'private'], // server 127.0.0.1
      ['2001:0:5db8:d822::5601:5601', 'metadata'], // client 169.254.169.254
      // ISATAP interface identifiers (…:0:5efe:a.b.c.d and the universal …:200:5efe:…).
      ['2001:4860::5efe:127.0.0.1', 'private'],
      ['2001:4860:0:0:0:5efe:7f00:1', 'private'],
      ['2001:4860::200:5efe:a9fe:a9fe', 'metadata'],
      ['fe80::5efe:10.0.0.1', 'private'],
      ['2001:4860::5efe:93.184.216.34', 'public'],
    ]),
  )('embedded IPv4 in $address is $expected', ({ address, expected }) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  // What a URL's host looks like after parsing, bracketed; odd spellings never count as public.
  it.each(
    table([
      ['[::7f00:1]', 'private'],
      ['[::ffff:7f00:1]', 'private'],
      ['[2002:7f00:1::1]', 'private'],
      ['2130706433', 'private'],
      ['0177.0.0.1', 'private'],
      ['0x7f.1', 'private'],
      ['127.1', 'private'],
      ['not-an-ip', 'private'],
      ['', 'private'],
      ['1:2:3:4:5:6:7:8:9', 'private'],
      ['::ffff:127.0.0.1.5', 'private'],
      [':::1', 'private'],
      ['1::2::3', 'private'],
      ['12345::1', 'private'],
    ]),
  )('$address is $expected', ({ address, expected }) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('agrees with what the URL parser hands the guards for odd IPv4 spellings', () => {
    for (const spelling of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001']) {
      const host = new URL(`http://${spelling}:80/`).hostname;
      expect([spelling, host, classifyAddress(host)]).toEqual([spelling, '127.0.0.1', 'private']);
    }
    for (const literal of [
      '[::127.0.0.1]',
      '[0:0:0:0:0:ffff:7f00:1]',
      '[2002:7F00:1::1]',
      '[64:FF9B::A9FE:A9FE]',
    ]) {
      const host = new URL(`http://${literal}/`).hostname;
      expect([literal, classifyAddress(host)]).not.toEqual([literal, 'public']);
    }
  });
});
