import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { LlmNotConfiguredError } from '../errors.ts';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type MockLlm, startMockLlm } from '../mock/index.ts';

const ADDED_KEY = 'sk-added-SECRET-5f4e3d2c1b0a';
const STORED_SECRET = 'sk-stored-SECRET-a1b2c3d4e5f6';
let mock: MockLlm;
let t: TestApp;
let admin: { token: string };

beforeAll(async () => {
  mock = await startMockLlm({ scenario: [{ reply: 'hello from the mock' }] });
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'cfg',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-cfg-literal-key',
          models: MOCK_MODELS.anthropic,
        },
      ],
      aliases: { fast: ['cfg/claude-sonnet-4-5'] },
    },
  });
  admin = await t.user('admin');
});
afterAll(async () => {
  await t?.close();
  await mock?.close();
});

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  token: string,
  payload?: unknown,
) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload: payload as object } : {}) });

describe('LLM providers admin API', () => {
  it('lists config providers read-only with breaker state, to admins only', async () => {
    const member = await t.user('member');
    expect((await api('GET', '/api/llm/providers', member.token)).statusCode).toBe(403);
    const list = await api('GET', '/api/llm/providers', admin.token);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      items: [
        {
          name: 'cfg',
          source: 'config',
          apiKey: { configured: true, source: 'literal', ref: null },
          breaker: { state: 'closed', consecutiveFailures: 0 },
        },
      ],
      aliases: { fast: ['cfg/claude-sonnet-4-5'] },
    });
    expect(list.body).not.toContain('sk-cfg-literal-key');
    for (const [method, payload] of [
      ['PATCH', { baseUrl: 'http://x.test' }],
      ['DELETE', undefined],
    ] as const) {
      const refused = await api(method, '/api/llm/providers/cfg', admin.token, payload);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toContain('config file');
    }
    const clash = await api('POST', '/api/llm/providers', admin.token, {
      name: 'cfg',
      kind: 'gemini',
      baseUrl: mock.url,
    });
    expect(clash.statusCode).toBe(409);
  });

  it('adds a provider whose key is sealed and never shown, uses it, changes and removes it', async () => {
    const bad = await api('POST', '/api/llm/providers', admin.token, {
      name: 'added',
      kind: 'openai-compatible',
      baseUrl: 'ftp://x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.baseUrl');

    const created = await api('POST', '/api/llm/providers', admin.token, {
      name: 'added',
      kind: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      apiKey: ADDED_KEY,
      models: [{ id: 'gpt-mock', input: 2, output: 8 }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'added',
      source: 'api',
      apiKey: { configured: true, source: 'literal', ref: null },
    });
    expect(created.body).not.toContain(ADDED_KEY);
    const { rows } = await t.res.db.query("SELECT * FROM llm_providers WHERE name = 'added'");
    expect(rows[0].key_ciphertext.toString('latin1')).not.toContain(ADDED_KEY);

    const result = await t.res.llm.generate({
      model: 'added/gpt-mock',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result).toMatchObject({ text: 'hello from the mock', provider: 'added' });
    expect(mock.requests().at(-1)?.headers.authorization).toBe('***');

    const patched = await api('PATCH', '/api/llm/providers/added', admin.token, { apiKey: 'env:SOME_KEY' });
    expect(patched.json().apiKey).toEqual({ configured: true, source: 'env', ref: 'env:SOME_KEY' });
    expect((await api('DELETE', '/api/llm/providers/added', admin.token)).statusCode).toBe(204);
    await expect(
      t.res.llm.generate({ model: 'added/gpt-mock', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(LlmNotConfiguredError);
    const audit = await t.res.db.query(
      "SELECT action, data FROM audit_log WHERE action LIKE 'llm.provider.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'llm.provider.create',
      'llm.provider.update',
      'llm.provider.delete',
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(ADDED_KEY);
  });

  it('stores write-only instance secrets that providers name as secret:NAME', async () => {
    const put = await api('PUT', '/api/llm/secrets/STORED_KEY', admin.token, { value: STORED_SECRET });
    expect(put.statusCode).toBe(201);
    const bad = await api('PUT', '/api/llm/secrets/lower-case', admin.token, { value: 'x' });
    expect(bad.statusCode).toBe(400);
    const list = await api('GET', '/api/llm/secrets', admin.token);
    expect(list.json().items).toEqual([expect.objectContaining({ name: 'STORED_KEY' })]);
    const created = await api('POST', '/api/llm/providers', admin.token, {
      name: 'withsecret',
      kind: 'gemini',
      baseUrl: mock.url,
      apiKey: 'secret:STORED_KEY',
      models: MOCK_MODELS.gemini,
    });
    expect(created.json().apiKey).toEqual({ configured: true, source: 'secret', ref: 'secret:STORED_KEY' });
    const result = await t.res.llm.generate({
      model: 'withsecret/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.provider).toBe('withsecret');
    const everything = [
      list.body,
      put.body,
      created.body,
      t.logs.join('\n'),
      JSON.stringify((await t.res.db.query('SELECT * FROM audit_log')).rows),
    ];
    for (const text of everything) expect(text).not.toContain(STORED_SECRET);
    expect((await api('DELETE', '/api/llm/secrets/STORED_KEY', admin.token)).statusCode).toBe(204);
  });
});
