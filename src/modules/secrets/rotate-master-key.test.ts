import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { until } from '../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { fixedKeyRing, keyIdOf } from './key-ring.ts';
import { MasterKeyError } from './master-key-error.ts';
import { masterKeyStatus } from './master-key-status.ts';
import { aad } from './put-secret.ts';
import { revealSecrets } from './reveal-secrets.ts';
import { rotateMasterKey } from './rotate-master-key.ts';
import { projectSecretsStore } from './secrets-sealed-store.ts';
import { Vault } from './vault.ts';

const A = randomBytes(32);
const B = randomBytes(32);
const b64 = (key: Buffer) => key.toString('base64');
const system = { actor: SYSTEM_ACTOR };
const stores = [projectSecretsStore];

/** Docs step 1: servers seal with A and may read B. Step 2: they seal with B and still read A. */
let step1: TestApp;
let step2: TestApp;
let owner: string;
let slug: string;
let projectId: string;
const values: Record<string, string> = {};

beforeAll(async () => {
  step1 = await createTestApp({ masterKey: b64(A), otherMasterKeys: b64(B) });
  step2 = await createTestApp({ masterKey: b64(B), otherMasterKeys: b64(A) }, { database: step1.database });
  owner = (await step1.user('member')).token;
  const project = (
    await step1.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(owner),
      payload: { name: 'Keys' },
    })
  ).json();
  slug = project.slug;
  projectId = project.id;
});
afterAll(async () => {
  await step2?.close();
  await step1?.close();
});

async function put(t: TestApp, name: string, value: string) {
  const res = await t.http.inject({
    method: 'PUT',
    url: `/api/projects/${slug}/secrets/${name}`,
    headers: bearer(owner),
    payload: { value },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  values[name] = value;
}

/** Every value, read as a pipeline job reads it, by a server of each step. */
async function expectAllReadable() {
  for (const t of [step1, step2]) {
    const { values: read } = await revealSecrets(t.res.db, t.res.vault, projectId, Object.keys(values), {
      protectedAllowed: true,
    });
    expect(read).toEqual(values);
  }
}

const keyCounts = async () =>
  Object.fromEntries(
    (await projectSecretsStore.countByKey(step1.res.db)).map(({ keyId, count }) => [keyId, count]),
  );

async function rotateAudits() {
  const { rows } = await step1.res.db.query<{ target_id: string; data: Record<string, unknown> }>(
    "SELECT target_id, data FROM audit_log WHERE action = 'master_key.rotate' ORDER BY id",
  );
  return rows;
}

describe('rotate-key', () => {
  it('interrupted after two batches, every value stays readable; run again, it finishes where it stopped', async () => {
    for (let n = 1; n <= 7; n++) await put(step1, `KEY_${n}`, `value-${n}-${randomBytes(6).toString('hex')}`);
    expect(await keyCounts()).toEqual({ [keyIdOf(A)]: 7 });

    let batches = 0;
    const interrupted = rotateMasterKey(step2.res.db, step2.res.vault, stores, system, {
      batchSize: 2,
      onBatch: async () => {
        // Between batches every value opens, under A or B, on both kinds of server.
        await expectAllReadable();
        if (++batches === 2) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    expect(await keyCounts()).toEqual({ [keyIdOf(A)]: 3, [keyIdOf(B)]: 4 });
    await expectAllReadable();

    const progress: string[] = [];
    const resumed = await rotateMasterKey(step2.res.db, step2.res.vault, stores, system, {
      batchSize: 2,
      onBatch: async (p) => {
        progress.push(`${p.store} ${p.done}/${p.total}`);
        await expectAllReadable();
      },
    });
    expect(progress).toEqual(['secrets 2/3', 'secrets 3/3']);
    expect(resumed).toMatchObject({ keyId: keyIdOf(B), resealed: 3, toReseal: 3, remaining: 0 });
    expect(await keyCounts()).toEqual({ [keyIdOf(B)]: 7 });
    await expectAllReadable();
    // Versions are the user's: re-sealing is not a new version.
    const { rows } = await step1.res.db.query<{ version: number }>('SELECT DISTINCT version FROM secrets');
    expect(rows).toEqual([{ version: 1 }]);

    const again = await rotateMasterKey(step2.res.db, step2.res.vault, stores, system, { batchSize: 2 });
    expect(again).toMatchObject({ resealed: 0, toReseal: 0, remaining: 0 });

    // One audit entry per run that re-sealed anything, with counts and never a value.
    const audits = await rotateAudits();
    expect(audits).toHaveLength(2);
    expect(audits.map((a) => a.data.planned)).toEqual([{ secrets: 7 }, { secrets: 3 }]);
    expect(audits.every((a) => a.target_id === keyIdOf(B))).toBe(true);
    for (const value of Object.values(values)) expect(JSON.stringify(audits)).not.toContain(value);
  });

  it('a dry run counts and changes nothing', async () => {
    await put(step1, 'DRY', 'dry-value');
    const report = await rotateMasterKey(step2.res.db, step2.res.vault, stores, system, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, toReseal: 1, resealed: 0 });
    expect((await keyCounts())[keyIdOf(A)]).toBe(1);
    await rotateMasterKey(step2.res.db, step2.res.vault, stores, system);
    expect(await keyCounts()).toEqual({ [keyIdOf(B)]: Object.keys(values).length });
  });

  it('a secret written while its batch is being re-sealed keeps the new value', async () => {
    await put(step1, 'RACED', 'before the rotation');
    await put(step1, 'RACED_TOO', 'before the rotation, too');
    let write: Promise<unknown> | undefined;
    const report = await rotateMasterKey(step2.res.db, step2.res.vault, stores, system, {
      batchSize: 1,
      inBatch: async ({ ids, tx }) => {
        if (write) return;
        const { rows } = await step1.res.db.query<{ name: string }>(
          'SELECT name FROM secrets WHERE id = $1',
          [ids[0]],
        );
        const name = rows[0]!.name;
        const batch = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        // A user replaces this very secret on another server while the batch holds it.
        let settled = false;
        write = put(step2, name, `replaced during the rotation (${name})`).finally(() => {
          settled = true;
        });
        // The write either waits for the batch's row lock, or (without one) lands first and is lost.
        const blocked = async () =>
          ((
            await step1.res.db.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
              batch,
            ])
          ).rowCount ?? 0) > 0;
        await until(
          async () => settled || (await blocked()),
          10_000,
          'the concurrent write to wait for the row lock',
        );
      },
    });
    await write;
    expect(report.remaining).toBe(0);
    await expectAllReadable();
  });

  it('refuses to start while a value is under a key it does not have, changing nothing', async () => {
    const C = randomBytes(32);
    const stranger = new Vault(fixedKeyRing(C));
    const sealed = stranger.seal('sealed elsewhere', aad(projectId, 'STRANGER'));
    await step1.res.db.query(
      `INSERT INTO secrets (project_id, name, ciphertext, iv, auth_tag, key_id) VALUES ($1, 'STRANGER', $2, $3, $4, $5)`,
      [projectId, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
    );
    await put(step1, 'UNDER_A', 'still under A');
    const before = await keyCounts();
    const error = await rotateMasterKey(step2.res.db, step2.res.vault, stores, system).catch((e) => e);
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain(`${keyIdOf(C)} (secrets 1)`);
    expect(error.message).toContain('nothing was changed');
    expect(await keyCounts()).toEqual(before);
    const status = await masterKeyStatus(step1.res.db, step2.res.vault, stores, system);
    expect(status.keys.find((k) => k.id === keyIdOf(C))).toMatchObject({ source: null, total: 1 });
    await step1.res.db.query("DELETE FROM secrets WHERE name = 'STRANGER'");
  });

  it('is for instance admins only', async () => {
    const member = await step1.user('member');
    const ctx = {
      actor: {
        userId: member.user.id,
        username: member.user.username,
        role: 'member' as const,
        via: 'token' as const,
        scopes: ['read' as const, 'write' as const],
      },
    };
    await expect(rotateMasterKey(step2.res.db, step2.res.vault, stores, ctx)).rejects.toThrow(
      'instance admins',
    );
  });
});
