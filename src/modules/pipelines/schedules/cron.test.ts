import { describe, expect, it } from 'vitest';
import { CronError, nextCronTime, parseCron } from './cron.ts';

describe('cron', () => {
  it('reads aliases and five-field expressions', () => {
    expect(parseCron('@daily')).toEqual(parseCron('0 0 * * *'));
    const every5 = parseCron('*/5 * * * *');
    expect(nextCronTime(every5, new Date('2024-05-31T14:31:10Z')).toISOString()).toBe(
      '2024-05-31T14:35:00.000Z',
    );
  });

  it('refuses names every object inherits as a CronError, not a crash', () => {
    for (const text of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(() => parseCron(text), text).toThrow(CronError);
  });
});
