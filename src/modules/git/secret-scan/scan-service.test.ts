import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFiles, gitOk, localRepo } from '../../../../test/git.ts';
import { ensureHooks } from '../git-hooks.ts';
import { closeScanService, issueScanTicket } from './scan-service.ts';

/**
 * The pre-receive hook as git runs it (the real bash script, stdin of `old new ref` lines) talking
 * to the server's scanner over loopback: it relays the verdict, a ticket works once, and a scanner
 * that is not there or does not answer refuses the push.
 */
const ZERO = '0'.repeat(40);
const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;

afterAll(closeScanService);

async function hook(cwd: string, stdin: string, env: Record<string, string>) {
  const dir = await ensureHooks(await mkdtemp(path.join(os.tmpdir(), 'orchard-hooks-')));
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(path.join(dir, 'pre-receive'), [], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin);
  });
}

/** A repository holding a commit no ref points at (as a push in quarantine would). */
async function repoWithUnpushed(files: Record<string, string>) {
  const dir = await localRepo();
  await commitFiles(dir, { 'README.md': 'hello\n' }, 'first');
  const sha = (await commitFiles(dir, files, 'second')).trim();
  await gitOk(['update-ref', 'refs/heads/main', 'HEAD~1'], dir);
  return { dir: path.join(dir, '.git'), sha };
}

const scanOf = (repo: string) => ({ repo, allowed: new Set<string>(), maxBytes: 1024 * 1024 });

describe('the pre-receive hook and the server scanner', () => {
  it('relays a refusal naming the file, and lets a clean push through', async () => {
    const bad = await repoWithUnpushed({ 'keys/id_rsa': pem });
    const ticket = await issueScanTicket(scanOf(bad.dir));
    const refused = await hook(bad.dir, `${ZERO} ${bad.sha} refs/heads/x\n`, ticket.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('keys/id_rsa:1');
    expect(refused.stderr).not.toContain(pem.split('\n')[1]);

    const good = await repoWithUnpushed({ 'ok.txt': 'fine\n' });
    const okTicket = await issueScanTicket(scanOf(good.dir));
    expect(await hook(good.dir, `${ZERO} ${good.sha} refs/heads/x\n`, okTicket.env)).toEqual({
      code: 0,
      stderr: '',
    });
  });

  it('takes a ticket once: used again (or never issued), the push is refused', async () => {
    const good = await repoWithUnpushed({ 'ok.txt': 'fine\n' });
    const ticket = await issueScanTicket(scanOf(good.dir));
    const stdin = `${ZERO} ${good.sha} refs/heads/x\n`;
    expect((await hook(good.dir, stdin, ticket.env)).code).toBe(0);
    const again = await hook(good.dir, stdin, ticket.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the scanner did not answer');
    const forged = await hook(good.dir, stdin, { ...ticket.env, ORCHARD_SCAN_TICKET: 'f'.repeat(48) });
    expect(forged.code).toBe(1);
  });

  it('refuses the push when the scanner cannot be reached', async () => {
    const good = await repoWithUnpushed({ 'ok.txt': 'fine\n' });
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const result = await hook(good.dir, `${ZERO} ${good.sha} refs/heads/x\n`, {
      ORCHARD_SCAN_PORT: String(port),
      ORCHARD_SCAN_TICKET: 'a'.repeat(48),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not reach its secret scanner');
  });

  it('refuses object paths outside the repository its ticket names', async () => {
    const good = await repoWithUnpushed({ 'ok.txt': 'fine\n' });
    const other = await repoWithUnpushed({ 'ok.txt': 'fine\n' });
    const ticket = await issueScanTicket(scanOf(good.dir));
    const result = await hook(good.dir, `${ZERO} ${good.sha} refs/heads/x\n`, {
      ...ticket.env,
      GIT_OBJECT_DIRECTORY: path.join(other.dir, 'objects'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unexpected object paths');
  });
});
