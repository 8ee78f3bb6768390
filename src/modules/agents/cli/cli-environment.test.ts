import { describe, expect, it } from 'vitest';
import { secretMasker } from './cli-environment.ts';

describe('the session key mask', () => {
  const key = 'orch_AbC+def.GHI0123456789';
  const mask = secretMasker(key);

  it('masks the key wherever it appears in an event, in any case', () => {
    expect(mask({ type: 'log', line: `KEY=${key}` })).toEqual({ type: 'log', line: 'KEY=***' });
    expect(mask(`network: CONNECT ${key.toLowerCase()}.example.com:443 refused`)).toBe(
      'network: CONNECT ***.example.com:443 refused',
    );
  });

  it('takes the key literally (its characters are not a pattern) and leaves other values alone', () => {
    expect(mask('orch_AbCxdefxGHI0123456789')).toBe('orch_AbCxdefxGHI0123456789');
    const event = { type: 'message', text: 'nothing secret' };
    expect(mask(event)).toBe(event);
  });
});
