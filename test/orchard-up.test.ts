import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type OrchardProcess, runOrchard, startOrchardProcess } from './support/spawn-orchard.ts';

/**
 * The embedded mode end to end, as real processes: first start on a fresh home, data kept across
 * restarts, recovery after `kill -9` (the orphaned PostgreSQL is adopted), clean stop on SIGTERM.
 */
let home: string;
let busyHome: string;
const running: OrchardProcess[] = [];

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  const pidFile = home && path.join(home, 'pg', 'data', 'postmaster.pid');
  if (pidFile && existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL');
    } catch {}
  }
  if (home) await rm(home, { recursive: true, force: true });
  if (busyHome) await rm(busyHome, { recursive: true, force: true });
});

function postmasterPid() {
  const file = path.join(home, 'pg', 'data', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('orchard up (embedded PostgreSQL)', () => {
  it('starts on a fresh home, keeps data, survives kill -9, and stops cleanly', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'orchard-up-'));
    const first = await startOrchardProcess(['up', '--port', '0', '--home', home], {}, 120_000);
    running.push(first);
    expect(first.output()).toContain('embedded PostgreSQL');
    expect(first.output()).toContain('First run');
    expect(statSync(path.join(home, 'master.key')).mode & 0o777).toBe(0o600);
    const created = await fetch(`${first.url}/api/setup/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.test', password: 'long enough password' }),
    });
    expect(created.status).toBe(201);

    // A crash: Node dies, its PostgreSQL is orphaned with its postmaster.pid in place.
    first.child.kill('SIGKILL');
    await first.exited;
    const orphan = postmasterPid();
    expect(orphan && alive(orphan)).toBe(true);

    const second = await startOrchardProcess(['up', '--port', '0', '--home', home], {}, 120_000);
    running.push(second);
    const setup = await (await fetch(`${second.url}/api/setup`)).json();
    expect(setup).toEqual({ needsAdmin: false });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(orphan && alive(orphan)).toBe(false);
    expect(postmasterPid()).toBeUndefined();

    // Operators' commands work on the stopped home, then a plain restart sees their work.
    const admin = await runOrchard([
      'admin',
      'create',
      '--home',
      home,
      '--username',
      'ops',
      '--email',
      'ops@example.test',
      '--password',
      'another long password',
    ]);
    expect(admin.stderr + admin.stdout).toContain('Created admin ops');
    const token = await runOrchard(['token', 'create', '--home', home, '--user', 'ops', '--scopes', 'read']);
    expect(token.code).toBe(0);
    const value = token.stdout.trim();
    expect(value).toMatch(/^orch_/);
    const bad = await runOrchard(['token', 'create', '--home', home, '--user', 'ops', '--scopes', 'root']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--scopes');

    const third = await startOrchardProcess(['up', '--port', '0', '--home', home], {}, 120_000);
    running.push(third);
    const me = await fetch(`${third.url}/api/auth/me`, { headers: { authorization: `Bearer ${value}` } });
    expect((await me.json()).user.username).toBe('ops');
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 240_000);

  it('says what to do when its port is taken, by a running Orchard or by another program, and leaves the running one alone', async () => {
    busyHome = await mkdtemp(path.join(os.tmpdir(), 'orchard-up-busy-'));
    const first = await startOrchardProcess(['up', '--port', '0', '--home', busyHome], {}, 120_000);
    running.push(first);
    const port = new URL(first.url).port;
    // `npm start` twice in one checkout: the same home, the same port.
    const twice = await runOrchard(['up', '--port', port, '--home', busyHome]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`orchard: localhost:${port} is already served by Orchard`);
    expect(twice.stderr).toContain('--port <port>');
    expect(twice.stderr).not.toMatch(/^\s+at /m);
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);

    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, 'localhost', resolve));
    const taken = (other.address() as { port: number }).port;
    try {
      const blocked = await runOrchard(['up', '--port', String(taken), '--home', busyHome]);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain(`orchard: localhost:${taken} is used by another program`);
      expect(blocked.stderr).not.toMatch(/^\s+at /m);
    } finally {
      other.close();
    }
    // The database the failed starts borrowed is still the running Orchard's.
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(busyHome, 'pg', 'data', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('refuses a bad configuration value with a message naming the key', async () => {
    const res = await runOrchard(['up', '--port', 'seventy'], { ORCHARD_LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('port (from --port)');
    expect(res.stderr).toContain('logLevel (from ORCHARD_LOG_LEVEL)');
    expect(res.stderr).toMatch(/expected one of .*"info"/);
  });
});
