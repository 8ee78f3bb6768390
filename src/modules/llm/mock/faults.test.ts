import { describe, expect, it } from 'vitest';
import { faultFromEntry, parseFaultHeader } from './faults.ts';
import { parseScenario } from './scenario.ts';

describe('parseFaultHeader', () => {
  it('reads stream faults with their chunk count (default 0)', () => {
    expect(parseFaultHeader('reset:5')).toEqual({ kind: 'reset', after: 5 });
    expect(parseFaultHeader('eof:3')).toEqual({ kind: 'eof', after: 3 });
    expect(parseFaultHeader('stall:2')).toEqual({ kind: 'stall', after: 2 });
    expect(parseFaultHeader('malformed:1')).toEqual({ kind: 'malformed', after: 1 });
    expect(parseFaultHeader('error-event:2')).toEqual({ kind: 'error-event', after: 2 });
    expect(parseFaultHeader('reset')).toEqual({ kind: 'reset', after: 0 });
  });

  it('reads status faults with an optional retry-after', () => {
    expect(parseFaultHeader('status:429:2')).toEqual({ kind: 'status', status: 429, retryAfter: 2 });
    expect(parseFaultHeader('status:500')).toEqual({ kind: 'status', status: 500, retryAfter: null });
  });

  it('explains what a bad header should look like', () => {
    expect(() => parseFaultHeader('explode:1')).toThrow(/x-mock-fault must look like reset:5.*explode:1/);
    expect(() => parseFaultHeader('reset:-1')).toThrow('bad chunk count');
    expect(() => parseFaultHeader('status:418')).toThrow('status must be one of');
    expect(() => parseFaultHeader('status:429:soon')).toThrow('bad retry-after');
    expect(() => parseFaultHeader('eof:1:2')).toThrow('x-mock-fault must look like');
  });
});

describe('faultFromEntry', () => {
  it('turns scenario fields into a fault', () => {
    const [stream, status, plain] = parseScenario([
      { reply: 'x', fault: 'eof', after: 4 },
      { fault: 'status', status: 503, retryAfter: 1.5 },
      { reply: 'x' },
    ]);
    expect(stream && faultFromEntry(stream)).toEqual({ kind: 'eof', after: 4 });
    expect(status && faultFromEntry(status)).toEqual({ kind: 'status', status: 503, retryAfter: 1.5 });
    expect(plain && faultFromEntry(plain)).toBeNull();
  });
});
