import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localRepo } from '../../../../test/git.ts';

/** The hook's scanner run the way the pre-receive hook runs it: a process reading `old new ref` lines. */
const SCANNER = fileURLToPath(new URL('./scan-push.mjs', import.meta.url));
const ZERO = '0'.repeat(40);

function runScanner(cwd: string, stdin: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCANNER], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the pre-receive scanner', () => {
  it('refuses a push it cannot scan (fail closed), saying so', async () => {
    const dir = await localRepo();
    const result = await runScanner(dir, `${ZERO} ${'a'.repeat(40)} refs/heads/x\n`, {
      GIT_DIR: `${dir}/no-such-repository`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Orchard could not scan this push for secrets \(git cat-file exited with \d+: /,
    );
    expect(result.stderr).toContain('so it was refused. Nothing was updated.');
  });

  it('lets a push through that only deletes refs, without reading the repository', async () => {
    const dir = await localRepo();
    const result = await runScanner(dir, `${'a'.repeat(40)} ${ZERO} refs/heads/x\n`, {
      GIT_DIR: `${dir}/no-such-repository`,
    });
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
