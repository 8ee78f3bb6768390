import { describe, expect, it } from 'vitest';
import { localRepo } from '../../../../test/git.ts';
import { scanPush } from './scan-push.ts';

const ZERO = '0'.repeat(40);
const base = { allowed: new Set<string>(), maxBytes: 1024 * 1024 };

describe('scanning a push', () => {
  it('refuses a push it cannot scan (fail closed), saying so', async () => {
    const dir = await localRepo();
    const result = await scanPush({ ...base, repo: dir, updates: [[ZERO, 'a'.repeat(40), 'refs/heads/x']] });
    expect(result.refusal).toMatch(/^Orchard could not scan this push for secrets \(/);
    expect(result.refusal).toContain('so it was refused. Nothing was updated.');
  });

  it('lets a push through that only deletes refs, without reading the repository', async () => {
    const result = await scanPush({
      ...base,
      repo: '/nonexistent/repository',
      updates: [['a'.repeat(40), ZERO, 'refs/heads/x']],
    });
    expect(result).toEqual({ findings: [], exceeded: false, refusal: '' });
  });
});
