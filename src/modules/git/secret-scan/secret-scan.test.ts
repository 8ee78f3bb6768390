import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  addMember,
  commitFiles,
  createProjectAs,
  gitCli,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../../test/git.ts';
import { authenticateToken, delegateToken } from '../../identity/index.ts';
import { agentProjects } from '../../projects/index.ts';

/**
 * Secret scanning with the real git client over Orchard's smart HTTP: a push that adds a private
 * key or a .env file is refused whole, the client is told the file and line (never the secret),
 * an owner allows a false positive by its fingerprint, and a commit that deletes a key passes.
 */
let t: TestApp;
let base: string;
type User = Awaited<ReturnType<TestApp['user']>>;
let owner: User;
let admin: User;
let maintainer: User;
let dev: User;
let viewer: User;
let agent: string;
const slug = 'scanned';
const MAX_BYTES = 256 * 1024;
const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;

beforeAll(async () => {
  t = await createTestApp({
    'git.secretScanMaxBytes': MAX_BYTES,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  base = await listenApp(t);
  owner = await t.user('member');
  admin = await t.user('admin');
  maintainer = await t.user('member');
  dev = await t.user('member');
  viewer = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  await addMember(t, owner.token, slug, maintainer.user.username, 'maintainer');
  await addMember(t, owner.token, slug, dev.user.username, 'developer');
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  const work = await localRepo();
  await commitFiles(work, { 'README.md': '# scanned\n' }, 'first');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
  const { rows } = await t.res.db.query('SELECT id FROM projects WHERE slug = $1', [slug]);
  agent = (
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, dev.token),
        projectId: rows[0].id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
});
afterAll(async () => t?.close());

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}/secret-scanning/allowed${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

async function remoteHeads(): Promise<Map<string, string>> {
  const out = await gitOk(['ls-remote', '--heads', remoteUrl(base, slug, owner.token)], await localRepo());
  return new Map(
    out
      .trim()
      .split('\n')
      .map((line) => line.split('\t').reverse() as [string, string]),
  );
}

/** A clone of main in a fresh directory. */
async function clone(): Promise<string> {
  const work = await localRepo();
  await gitOk(['pull', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
  return work;
}

const fingerprintOf = (stderr: string, file: string) =>
  new RegExp(`${file.replace(/\./g, '\\.')}:\\d+ [^\\n]*\\n(?:remote: )?\\s+fingerprint ([0-9a-f]{64})`).exec(
    stderr,
  )?.[1];

describe('secret scanning on push', () => {
  let keyed: { work: string; sha: string; fingerprint: string };

  it('refuses a push that adds a private key, naming file and line but not the key, and moves no ref', async () => {
    const work = await clone();
    await gitOk(['checkout', '-q', '-b', 'clean'], work);
    await commitFiles(work, { 'docs/a.md': 'nothing secret\n' }, 'clean work');
    await gitOk(['checkout', '-q', '-b', 'keyed'], work);
    const sha = await commitFiles(work, { 'config/deploy.pem': `# deploy key\n${pem}` }, 'add deploy key');
    const before = await remoteHeads();

    // Both branches in one push: the clean one is refused too (no ref moves).
    const push = await gitCli(['push', remoteUrl(base, slug, dev.token), 'clean', 'keyed'], work);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('remote: Orchard secret scanning refused this push: it adds a secret.');
    expect(push.stderr).toContain(
      `remote:   config/deploy.pem:2  Private key (-----BEGIN RSA PRIVATE KEY-----) in commit ${sha.slice(0, 7)}`,
    );
    expect(push.stderr).toContain(`POST http://127.0.0.1:`);
    expect(push.stderr).toContain(`/api/projects/${slug}/secret-scanning/allowed`);
    expect(push.stderr).toMatch(/\[remote rejected\] clean -> clean \(pre-receive hook declined\)/);
    expect(push.stderr).toMatch(/\[remote rejected\] keyed -> keyed \(pre-receive hook declined\)/);
    for (const line of pem.trim().split('\n').slice(1, -1)) expect(push.stderr).not.toContain(line);
    expect(await remoteHeads()).toEqual(before);
    const fingerprint = fingerprintOf(push.stderr, 'config/deploy.pem');
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    keyed = { work, sha, fingerprint: fingerprint! };
  });

  it('refuses a committed .env file, and lets a .env.example through', async () => {
    const work = await clone();
    await commitFiles(work, { '.env.example': 'DATABASE_URL=\n' }, 'template');
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'HEAD:refs/heads/env-template'], work);
    const sha = await commitFiles(work, { 'app/.env': 'PORT=3000\nDEBUG=1\n' }, 'oops');
    const push = await gitCli(['push', remoteUrl(base, slug, dev.token), 'HEAD:refs/heads/env'], work);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(`remote:   app/.env:1  Committed .env file in commit ${sha.slice(0, 7)}`);
    expect((await remoteHeads()).has('refs/heads/env')).toBe(false);
  });

  it('lets the same push through once an owner allows the finding, and refuses it again once revoked', async () => {
    const allowed = await api('POST', '', owner.token, {
      fingerprint: keyed.fingerprint,
      reason: 'a throwaway key for the test suite',
    });
    expect(allowed.statusCode, allowed.body).toBe(201);
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'clean', 'keyed'], keyed.work);
    expect((await remoteHeads()).get('refs/heads/keyed')).toBe(keyed.sha);

    expect((await api('DELETE', `/${keyed.fingerprint}`, owner.token)).statusCode).toBe(204);
    // The key is in the repository now; a commit that deletes it adds nothing and passes.
    await gitOk(['rm', '-q', 'config/deploy.pem'], keyed.work);
    await gitOk(['commit', '-q', '-m', 'remove the key'], keyed.work);
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'keyed'], keyed.work);
    // Adding it back is a new push of the key: refused again.
    await gitOk(['revert', '--no-edit', 'HEAD'], keyed.work);
    const again = await gitCli(['push', remoteUrl(base, slug, dev.token), 'keyed'], keyed.work);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('config/deploy.pem:2  Private key');
    expect(fingerprintOf(again.stderr, 'config/deploy.pem')).toBe(keyed.fingerprint);
  });

  it('scans a tag that points straight at a blob, naming the tag', async () => {
    const work = await clone();
    const blob = await gitCli(['hash-object', '-w', '--stdin'], work, {}, `notes\n${pem}`);
    await gitOk(['tag', 'raw-key', blob.stdout.trim()], work);
    const push = await gitCli(['push', remoteUrl(base, slug, dev.token), 'refs/tags/raw-key'], work);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(
      'remote:   refs/tags/raw-key:2  Private key (-----BEGIN RSA PRIVATE KEY-----)',
    );
  });

  it('refuses a push too big to scan in full (fail closed), saying so', async () => {
    const work = await clone();
    const lines = Array.from({ length: 6000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    await commitFiles(work, { 'big.txt': `${lines}\n` }, 'big');
    const push = await gitCli(['push', remoteUrl(base, slug, dev.token), 'HEAD:refs/heads/big'], work);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/its changes are over 0\.\d MiB, the most it/);
    expect(push.stderr).toContain('git.secretScanMaxBytes');
    expect((await remoteHeads()).has('refs/heads/big')).toBe(false);
  });
});

describe('the allow list', () => {
  const print = 'ab'.repeat(32);

  it('is changed by owners and instance admins only; agents are refused with a reason', async () => {
    const body = { fingerprint: print, reason: 'a documented example' };
    for (const who of [maintainer, dev, viewer]) {
      const refused = await api('POST', '', who.token, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toMatch(/needs the owner role/);
      expect((await api('GET', '', who.token)).statusCode).toBe(403);
    }
    const byAgent = await api('POST', '', agent, body);
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().detail).toMatch(/^Agent tokens cannot allow secret-scanning findings/);

    const byAdmin = await api('POST', '', admin.token, { ...body, fingerprint: print.toUpperCase() });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(byAdmin.json()).toEqual({
      fingerprint: print,
      reason: 'a documented example',
      allowedBy: admin.user.username,
      allowedAt: expect.any(String),
    });
    const twice = await api('POST', '', owner.token, body);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toMatch(/already allowed/);
    const list = await api('GET', '', owner.token);
    expect(list.json().items.map((i: { fingerprint: string }) => i.fingerprint)).toContain(print);

    expect((await api('DELETE', `/${print}`, agent)).statusCode).toBe(403);
    expect((await api('DELETE', `/${print}`, dev.token)).statusCode).toBe(403);
    expect((await api('DELETE', `/${print}`, owner.token)).statusCode).toBe(204);
    const gone = await api('DELETE', `/${print}`, owner.token);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().detail).toMatch(/is not allowed/);

    const { rows } = await t.res.db.query(
      `SELECT action, actor_name, target_id, data FROM audit_log WHERE action LIKE 'secret_scan.%' AND target_id = $1 ORDER BY id`,
      [print],
    );
    expect(rows).toEqual([
      {
        action: 'secret_scan.allow',
        actor_name: admin.user.username,
        target_id: print,
        data: { fingerprint: print, reason: 'a documented example' },
      },
      {
        action: 'secret_scan.revoke',
        actor_name: owner.user.username,
        target_id: print,
        data: { fingerprint: print, reason: 'a documented example' },
      },
    ]);
  });

  it('answers bad input with a 400 problem naming the field', async () => {
    const badPrint = await api('POST', '', owner.token, { fingerprint: 'abc123', reason: 'x' });
    expect(badPrint.statusCode).toBe(400);
    expect(badPrint.headers['content-type']).toContain('application/problem+json');
    expect(badPrint.json().errors).toEqual([
      { field: 'body.fingerprint', message: expect.stringMatching(/64 hexadecimal characters/) },
    ]);
    const noReason = await api('POST', '', owner.token, { fingerprint: print, reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([
      { field: 'body.reason', message: expect.stringMatching(/why this finding is not a secret/) },
    ]);
    const badParam = await api('DELETE', '/not-a-fingerprint', owner.token);
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().errors).toEqual([
      { field: 'params.fingerprint', message: expect.stringMatching(/64 hexadecimal characters/) },
    ]);
  });
});
