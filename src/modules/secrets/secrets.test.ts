import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { createMasker, StreamMasker } from './mask.ts';
import { revealSecrets } from './reveal-secrets.ts';
import { Vault } from './vault.ts';

const VALUE = 'sk-live-51HcQ2eZvKYlo2C9xA7';

let t: TestApp;
let owner: string;
let slug: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = (await t.user('member')).token;
  slug = (
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(owner),
      payload: { name: 'Vaulted' },
    })
  ).json().slug;
});
afterAll(async () => t?.close());

describe('project secrets', () => {
  it('can be written and replaced but never read back, and are sealed at rest', async () => {
    const created = await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/secrets/STRIPE_KEY`,
      headers: bearer(owner),
      payload: { value: VALUE },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'STRIPE_KEY', version: 1, protected: true });
    const replaced = await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/secrets/STRIPE_KEY`,
      headers: bearer(owner),
      payload: { value: `${VALUE}-v2` },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().version).toBe(2);
    const list = await t.http.inject({ url: `/api/projects/${slug}/secrets`, headers: bearer(owner) });
    expect(list.json().items.map((s: { name: string }) => s.name)).toEqual(['STRIPE_KEY']);
    const { rows } = await t.res.db.query('SELECT ciphertext FROM secrets');
    expect(Buffer.from(rows[0].ciphertext).toString('latin1')).not.toContain('sk-live');
    const { id } = (await t.http.inject({ url: `/api/projects/${slug}`, headers: bearer(owner) })).json();
    const trusted = { protectedAllowed: true };
    expect(await revealSecrets(t.res.db, t.res.vault, id, ['STRIPE_KEY'], trusted)).toEqual({
      values: { STRIPE_KEY: `${VALUE}-v2` },
      withheld: [],
    });
    // A new secret is protected: code nobody vouched for does not get it.
    expect(
      await revealSecrets(t.res.db, t.res.vault, id, ['STRIPE_KEY'], { protectedAllowed: false }),
    ).toEqual({
      values: {},
      withheld: ['STRIPE_KEY'],
    });
    await expect(revealSecrets(t.res.db, t.res.vault, id, ['MISSING'], trusted)).rejects.toThrow('MISSING');
  });

  it('rejects a bad name with a message that says what to use', async () => {
    const res = await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/secrets/lower-case`,
      headers: bearer(owner),
      payload: { value: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'params.name' });
    expect(res.json().detail).toContain('UPPER_SNAKE_CASE');
  });

  it('never appears in any response or log line', async () => {
    await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/secrets/DB_PASSWORD`,
      headers: bearer(owner),
      payload: { value: VALUE },
    });
    const responses = await Promise.all([
      t.http.inject({ url: `/api/projects/${slug}/secrets`, headers: bearer(owner) }),
      t.http.inject({ url: `/api/projects/${slug}`, headers: bearer(owner) }),
      t.http.inject({
        method: 'PUT',
        url: `/api/projects/${slug}/secrets/bad name`,
        headers: bearer(owner),
        payload: { value: VALUE },
      }),
    ]);
    for (const r of responses) expect(r.body).not.toContain(VALUE);
    const admin = (await t.user('admin')).token;
    const audit = await t.http.inject({ url: '/api/audit?action=secret', headers: bearer(admin) });
    expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
    expect(audit.body).not.toContain(VALUE);
    expect(t.logs.length).toBeGreaterThan(5);
    expect(t.logs.join('\n')).not.toContain(VALUE);
    expect(t.logs.join('\n')).not.toContain(owner);
  });

  it('is bound to its project and name (a moved ciphertext does not open)', () => {
    const vault = new Vault(Buffer.alloc(32, 7));
    const sealed = vault.seal('value', 'p1/A');
    expect(vault.open(sealed, 'p1/A')).toBe('value');
    expect(() => vault.open(sealed, 'p2/A')).toThrow();
    expect(() => new Vault(Buffer.alloc(32, 8)).open(sealed, 'p1/A')).toThrow(`master key ${sealed.keyId}`);
  });
});

describe('masking', () => {
  it('replaces every value, longest first', () => {
    const mask = createMasker(['hunter22', 'hunter22-extended', 'ab']);
    expect(mask('a hunter22-extended and hunter22; ab stays')).toBe('a *** and ***; ab stays');
  });

  it('masks a value split across stream chunks', () => {
    const m = new StreamMasker(['s3cr3t-value']);
    const chunks = ['log: s3c', 'r3t-va', 'lue done\nnext s3cr3t-value', '!'];
    const out = chunks.map((c) => m.push(c)).join('') + m.flush();
    expect(out).toBe('log: *** done\nnext ***!');
  });
});
