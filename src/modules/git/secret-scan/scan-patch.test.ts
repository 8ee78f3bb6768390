import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, gitCli, gitOk, localRepo } from '../../../../test/git.ts';
import { DIFF_TREE_ARGS, scanPatch } from './scan-patch.ts';
import { fingerprint } from './secret-rules.ts';

/** Real git: the same `git diff-tree` the pre-receive hook runs, over commits made here. */
const token = (n: number) => ['np', 'm_', 'Q7rZ3m2KX9tB4wLpV8cN1dF6gH0jS5yU', String(1000 + n)].join('');
const KEY = ['-----BEGIN RSA ', 'PRIVATE KEY-----'].join('');
const MATERIAL = 'MIICXAIBAAKBgQC7vbqajDw4o6gJy8UtmIbkcpnkO3Kwc4qsEnSZp/TR+fQi62F79RHWmwKOtFLCy';

async function scan(
  repo: string,
  commits: string[],
  options: { maxBytes?: number; allowed?: Set<string> } = {},
) {
  const child = spawn('git', ['-C', repo, ...DIFF_TREE_ARGS], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(`${commits.join('\n')}\n`);
  const result = await scanPatch(child.stdout, options);
  child.kill();
  return result;
}

const where = (r: Awaited<ReturnType<typeof scan>>) =>
  r.findings.map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.commit.slice(0, 7)}`);

describe('scanPatch over git diff-tree', () => {
  it('finds what each commit adds, at its line, and not what a commit removes', async () => {
    const repo = await localRepo();
    const first = await commitFiles(repo, { 'a.txt': 'one\ntwo\nthree\n' }, 'first');
    const adds = await commitFiles(repo, { 'a.txt': `one\ntwo\nKEY=${token(1)}\nthree\n` }, 'adds');
    const removes = await commitFiles(repo, { 'a.txt': 'one\ntwo\nthree\n' }, 'removes');
    const result = await scan(repo, [first, adds, removes]);
    expect(where(result)).toEqual([`a.txt:3 npm-token ${adds.slice(0, 7)}`]);
    expect(result.findings[0]).toMatchObject({
      ruleName: 'npm access token',
      commit: adds,
      redacted: `npm_…${token(1).slice(-4)}`,
      fingerprint: fingerprint('npm-token', 'a.txt', token(1)),
    });
    expect(JSON.stringify(result.findings)).not.toContain(token(1));
    // The commit that removes it, scanned alone, adds nothing.
    expect((await scan(repo, [removes])).findings).toEqual([]);
  });

  it('skips binary files, and scans a key file and a .env file by their paths', async () => {
    const repo = await localRepo();
    await writeFile(
      path.join(repo, 'blob.bin'),
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(token(2))]),
    );
    const sha = await commitFiles(
      repo,
      {
        'deploy/id_rsa': `${KEY}\n${MATERIAL}\n-----END RSA PRIVATE KEY-----\n`,
        'app/.env.local': 'PORT=3000\n',
        '.env.example': `NPM=${token(3)}\n`,
        'dir with space/ünï.txt': `x\n${token(4)}\n`,
      },
      'mixed',
    );
    expect(where(await scan(repo, [sha])).sort()).toEqual(
      [
        `.env.example:1 npm-token ${sha.slice(0, 7)}`,
        `app/.env.local:1 dotenv-file ${sha.slice(0, 7)}`,
        `deploy/id_rsa:1 private-key ${sha.slice(0, 7)}`,
        `dir with space/ünï.txt:2 npm-token ${sha.slice(0, 7)}`,
      ].sort(),
    );
  });

  it('does not flag a moved file, but does a template renamed to .env; and an empty .env', async () => {
    const repo = await localRepo();
    await commitFiles(repo, { 'keys.txt': `${token(5)}\n`, '.env.example': 'A=\nB=\nC=\n' }, 'first');
    await gitOk(['mv', 'keys.txt', 'moved.txt'], repo);
    await gitOk(['mv', '.env.example', '.env'], repo);
    await writeFile(path.join(repo, '.env.production'), '');
    await gitOk(['add', '-A'], repo);
    await gitOk(['commit', '-q', '-m', 'move'], repo);
    const moved = (await gitOk(['rev-parse', 'HEAD'], repo)).trim();
    expect(where(await scan(repo, [moved])).sort()).toEqual(
      [
        `.env:1 dotenv-file ${moved.slice(0, 7)}`,
        `.env.production:1 dotenv-file ${moved.slice(0, 7)}`,
      ].sort(),
    );
  });

  it('scans a merge for the lines it adds itself, not those its parents brought', async () => {
    const repo = await localRepo();
    await commitFiles(repo, { 'f.txt': 'a\nb\n' }, 'base');
    await gitOk(['checkout', '-q', '-b', 'side'], repo);
    await commitFiles(repo, { 'f.txt': `a\nb\n${token(6)}\n` }, 'side');
    await gitOk(['checkout', '-q', 'main'], repo);
    await commitFiles(repo, { 'f.txt': 'top\na\nb\n' }, 'main');
    // It may stop on a conflict: the next commit resolves it either way.
    await gitCli(['merge', '-q', '--no-commit', 'side'], repo);
    await commitFiles(repo, { 'f.txt': `top\na\nb\n${token(6)}\nevil ${token(7)}\n` }, 'merge');
    const merge = (await gitOk(['rev-parse', 'HEAD'], repo)).trim();
    expect(where(await scan(repo, [merge]))).toEqual([`f.txt:5 npm-token ${merge.slice(0, 7)}`]);
  });

  it('leaves out allowed fingerprints, and stops at the byte budget', async () => {
    const repo = await localRepo();
    const sha = await commitFiles(repo, { 'a.txt': `${token(8)}\n`, 'b.txt': `${token(9)}\n` }, 'two');
    const allowed = new Set([fingerprint('npm-token', 'a.txt', token(8))]);
    const result = await scan(repo, [sha], { allowed });
    expect(where(result)).toEqual([`b.txt:1 npm-token ${sha.slice(0, 7)}`]);
    expect(result.allowedCount).toBe(1);

    const big = await commitFiles(repo, { 'big.txt': 'x'.repeat(100_000) }, 'big');
    const over = await scan(repo, [big], { maxBytes: 10_000 });
    expect(over.exceeded).toBe(true);
    expect((await scan(repo, [big], { maxBytes: 200_000 })).exceeded).toBe(false);
  });
});
