import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../test/app.ts';
import { BIN, childEnv, ROOT, runOrchard } from '../../test/support/spawn-orchard.ts';
import { until } from '../../test/support/until.ts';
import { sealedStores } from '../app.ts';
import { deliverOnce } from '../modules/notify/deliver.ts';
import { verifyHubSignature } from '../modules/notify/index.ts';
import { insertDelivery } from '../modules/notify/store.ts';
import { keyIdOf, MasterKeyError, revealSecrets } from '../modules/secrets/index.ts';

/**
 * `orchard secrets rotate-key`, `key-status` and `retire-key` as child processes over real
 * PostgreSQL, beside servers that keep serving: every kind of sealed value (project secrets, LLM
 * secrets, providers' keys, webhook secrets) stays readable through the code paths that use it.
 */

const b64 = (key: Buffer) => key.toString('base64');
const children: ChildProcess[] = [];
let receiver: Server;
let receiverUrl: string;
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  receiver?.close();
});

/** `orchard <args>` in the background, for a run the test stops halfway. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: 'pipe' });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** What one install holds: values by kind, as the API was given them. */
interface Seeded {
  slug: string;
  projectId: string;
  secrets: Record<string, string>;
  providers: Record<string, string>;
  webhooks: Record<string, string>;
}

async function seed(t: TestApp, label: string): Promise<Seeded> {
  const admin = (await t.user('admin')).token;
  const api = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await t.http.inject({ method, url, headers: bearer(admin), payload });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const project = await api('POST', '/api/projects', { name: `Rotation ${label}` });
  const out: Seeded = { slug: project.slug, projectId: project.id, secrets: {}, providers: {}, webhooks: {} };
  for (let n = 1; n <= 5; n++) {
    const value = `secret-${label}-${n}-${randomBytes(8).toString('hex')}`;
    await api('PUT', `/api/projects/${project.slug}/secrets/KEY_${n}`, { value });
    out.secrets[`KEY_${n}`] = value;
  }
  const llmSecret = `sk-llm-secret-${label}-${randomBytes(8).toString('hex')}`;
  await api('PUT', '/api/llm/secrets/SHARED_KEY', { value: llmSecret });
  const base = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: [{ id: 'm' }] };
  await api('POST', '/api/llm/providers', { ...base, name: `ref-${label}`, apiKey: 'secret:SHARED_KEY' });
  out.providers[`ref-${label}`] = llmSecret;
  for (const n of [1, 2]) {
    const key = `sk-literal-${label}-${n}-${randomBytes(8).toString('hex')}`;
    await api('POST', '/api/llm/providers', { ...base, name: `lit-${label}-${n}`, apiKey: key });
    out.providers[`lit-${label}-${n}`] = key;
  }
  for (const n of [1, 2]) {
    const secret = `whsec-${label}-${n}-${randomBytes(8).toString('hex')}`;
    const hook = await api('POST', `/api/projects/${project.slug}/webhooks`, {
      url: receiverUrl,
      secret,
      events: ['push'],
    });
    out.webhooks[hook.id] = secret;
  }
  return out;
}

/** Every value, read the way it is used: a job's secrets, an LLM call's key, a signed delivery. */
async function expectAllReadable(server: TestApp, s: Seeded) {
  const { values } = await revealSecrets(
    server.res.db,
    server.res.vault,
    s.projectId,
    Object.keys(s.secrets),
    {
      protectedAllowed: true,
    },
  );
  expect(values).toEqual(s.secrets);
  const registry = server.res.llm.registry;
  registry.invalidate();
  for (const [name, key] of Object.entries(s.providers)) {
    const entry = await registry.find(name);
    expect(await registry.apiKey(entry!), name).toBe(key);
  }
  for (const [id, secret] of Object.entries(s.webhooks)) {
    const delivery = await insertDelivery(server.res.db, {
      webhookId: id,
      projectId: s.projectId,
      event: 'push',
      body: JSON.stringify({ probe: randomBytes(4).toString('hex') }),
    });
    await deliverOnce(server.res, { deliveryId: delivery.id, attempt: 1 });
    const last = received.at(-1)!;
    expect(last.headers['x-orchard-delivery']).toBe(delivery.id);
    expect(verifyHubSignature(secret, last.body, last.headers['x-orchard-signature-256'] as string)).toBe(
      true,
    );
  }
}

async function keysInUse(t: TestApp) {
  const counts: Record<string, number> = {};
  for (const store of sealedStores)
    for (const { keyId, count } of await store.countByKey(t.res.db))
      counts[keyId] = (counts[keyId] ?? 0) + count;
  return counts;
}

async function audits(t: TestApp, action: string) {
  const { rows } = await t.res.db.query<{ data: object }>('SELECT data FROM audit_log WHERE action = $1', [
    action,
  ]);
  return rows;
}

describe('one machine (<home>/master.key)', () => {
  let server: TestApp;
  let s: Seeded;
  let env: Record<string, string>;
  let home: string;

  beforeAll(async () => {
    server = await createTestApp({ allowPrivateWebhookTargets: true });
    home = server.config.home;
    env = { DATABASE_URL: server.database.url };
    s = await seed(server, 'home');
  });
  afterAll(async () => server?.close());

  it('covers every table that holds sealed values', async () => {
    const { rows } = await server.res.db.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name LIKE '%auth_tag' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual([...new Set(sealedStores.map((x) => x.table))].sort());
  });

  it('rotate-key --new-key, killed halfway and run again, never leaves a value unreadable by the running server', async () => {
    const oldId = server.res.vault.keyId;
    expect(await keysInUse(server)).toEqual({ [oldId]: 10 });

    // Hold the third project secret so the run stops there after two batches of one.
    const locker = await server.database.db.connect();
    await locker.query('BEGIN');
    // (Not `OFFSET 2 … FOR UPDATE`: that locks the rows it skips too.)
    const third = (await locker.query('SELECT id FROM secrets ORDER BY id OFFSET 2 LIMIT 1')).rows[0].id;
    await locker.query('SELECT id FROM secrets WHERE id = $1 FOR UPDATE', [third]);
    const run = startCli(['secrets', 'rotate-key', '--new-key', '--batch-size', '1', '--home', home], env);
    try {
      await until(() => /secrets: 2\/5/.test(run.output().stderr), 60_000, 'two batches').catch((error) => {
        throw new Error(`${error.message}; the command wrote ${JSON.stringify(run.output())}`);
      });
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
      await locker.query('ROLLBACK');
      locker.release();
    }

    const newId = keyIdOf(
      Buffer.from((await readFile(path.join(home, 'master.key'), 'utf8')).trim(), 'base64'),
    );
    expect(newId).not.toBe(oldId);
    expect(await keysInUse(server)).toEqual({ [oldId]: 8, [newId]: 2 });
    // The server never restarted: it reads both keys, and seals what it writes now with the new one.
    await expectAllReadable(server, s);
    expect(server.res.vault.keyId).toBe(newId);

    const resumed = await runOrchard(['secrets', 'rotate-key', '--home', home], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('secrets: 3/3');
    expect(resumed.stderr).toContain('llm_providers.key: 2/2');
    expect(resumed.stderr).toContain('webhooks.secret: 2/2');
    expect(resumed.stdout).toContain(`every stored value is now sealed under ${newId}`);
    expect(await keysInUse(server)).toEqual({ [newId]: 10 });
    await expectAllReadable(server, s);

    const again = await runOrchard(['secrets', 'rotate-key', '--home', home], env);
    expect(again.stdout).toMatch(
      /Nothing to re-seal: all 10 stored values are sealed under the current master key/,
    );

    // A server started afresh on this home reads everything too.
    const fresh = await createTestApp(
      { home, allowPrivateWebhookTargets: true },
      { database: server.database },
    );
    try {
      await expectAllReadable(fresh, s);
    } finally {
      await fresh.close();
    }

    // The killed run left its audit entry with its first batch; the resumed run one more.
    const entries = await audits(server, 'master_key.rotate');
    expect(entries).toHaveLength(2);
    for (const value of [
      ...Object.values(s.secrets),
      ...Object.values(s.providers),
      ...Object.values(s.webhooks),
    ])
      expect(JSON.stringify(entries)).not.toContain(value);
  }, 240_000);

  it('key-status shows the old key unused; retire-key deletes it and the server still reads everything', async () => {
    const newId = server.res.vault.keyId;
    const status = await runOrchard(['secrets', 'key-status', '--json', '--home', home], env);
    expect(status.code, status.stderr).toBe(0);
    const { currentKeyId, keys } = JSON.parse(status.stdout);
    expect(currentKeyId).toBe(newId);
    const old = keys.find((k: { id: string }) => k.id !== newId);
    expect(old).toMatchObject({
      current: false,
      total: 0,
      source: path.join(home, 'master-keys', `${old.id}.key`),
    });
    expect(keys.find((k: { id: string }) => k.id === newId)).toMatchObject({
      values: { secrets: 5, llm_secrets: 1, 'llm_providers.key': 2, 'webhooks.secret': 2 },
    });

    const refused = await runOrchard(['secrets', 'retire-key', newId, '--home', home], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is the current master key');

    const retired = await runOrchard(['secrets', 'retire-key', old.id, '--home', home], env);
    expect(retired.code, retired.stderr).toBe(0);
    await expect(stat(path.join(home, 'master-keys', `${old.id}.key`))).rejects.toThrow();
    await expectAllReadable(server, s);
    expect(await audits(server, 'master_key.retire')).toHaveLength(1);
  }, 240_000);
});

describe('several servers (ORCHARD_MASTER_KEY, ORCHARD_OTHER_MASTER_KEYS)', () => {
  const A = randomBytes(32);
  const B = randomBytes(32);
  const apps: TestApp[] = [];
  const server = async (masterKey: Buffer, others: Buffer[] = [], database?: TestApp['database']) => {
    const app = await createTestApp(
      {
        masterKey: b64(masterKey),
        otherMasterKeys: others.map(b64).join(','),
        allowPrivateWebhookTargets: true,
      },
      database ? { database } : {},
    );
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('follows the documented steps: introduce, switch, rotate, retire; no server meets a value it cannot open', async () => {
    const onlyA = await server(A);
    const s = await seed(onlyA, 'env');
    const database = onlyA.database;

    // Step 1: every server restarts knowing B as a key it may read; it still seals with A.
    const step1 = await server(A, [B], database);
    // Step 2: every server restarts sealing with B and reading A.
    const step2 = await server(B, [A], database);
    const put = await step2.http.inject({
      method: 'PUT',
      url: `/api/projects/${s.slug}/secrets/WRITTEN_AFTER_SWITCH`,
      headers: bearer((await step2.user('admin')).token),
      payload: { value: 'sealed under B' },
    });
    expect(put.statusCode).toBe(201);
    s.secrets.WRITTEN_AFTER_SWITCH = 'sealed under B';
    // That is why step 1 comes first: a server left out of it could not open the new value, and says why.
    const error = await revealSecrets(onlyA.res.db, onlyA.res.vault, s.projectId, ['WRITTEN_AFTER_SWITCH'], {
      protectedAllowed: true,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain(keyIdOf(B));
    expect(error.message).toContain('ORCHARD_OTHER_MASTER_KEYS');
    expect(error.message).not.toContain(b64(B));
    await expectAllReadable(step1, s);

    // Step 3: rotate once, from anywhere, with the step-2 settings.
    const cliEnv = {
      DATABASE_URL: database.url,
      ORCHARD_MASTER_KEY: b64(B),
      ORCHARD_OTHER_MASTER_KEYS: b64(A),
    };
    const home = step2.config.home;
    const dry = await runOrchard(['secrets', 'rotate-key', '--dry-run', '--home', home], cliEnv);
    expect(dry.stdout).toContain('secrets: 5 of 6 to re-seal');
    expect(dry.stdout).toContain('Would re-seal 10 values');
    const newKeyRefused = await runOrchard(['secrets', 'rotate-key', '--new-key', '--home', home], cliEnv);
    expect(newKeyRefused.code).toBe(1);
    expect(newKeyRefused.stderr).toContain('ORCHARD_MASTER_KEY is set');
    const rotated = await runOrchard(['secrets', 'rotate-key', '--home', home], cliEnv);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(
      `Re-sealed 10 values: every stored value is now sealed under ${keyIdOf(B)}`,
    );
    await expectAllReadable(step1, s);
    await expectAllReadable(step2, s);

    // Step 4: A is unused; retire-key confirms it, and servers restart without it.
    const retire = await runOrchard(['secrets', 'retire-key', keyIdOf(A), '--home', home], cliEnv);
    expect(retire.code, retire.stderr).toBe(0);
    expect(retire.stdout).toContain('Remove it from ORCHARD_OTHER_MASTER_KEYS');
    const step4 = await server(B, [], database);
    await expectAllReadable(step4, s);
  }, 240_000);
});
