import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createCliResources } from './app.ts';
import { loadConfig } from './config.ts';
import { type MockLlm, startMockLlm } from './modules/llm/index.ts';
import { createLogger } from './platform/log.ts';

const logger = createLogger({ level: 'silent' });
let database: TestDatabase;
let mock: MockLlm;

beforeAll(async () => {
  database = await createTestDatabase();
  mock = await startMockLlm({ scenario: [{ reply: 'pong' }] });
});
afterAll(async () => {
  await mock?.close();
  await database?.drop();
});

async function configFor(databaseUrl: string | undefined) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-res-'));
  const llm = {
    providers: [
      {
        name: 'anthropic',
        kind: 'anthropic',
        baseUrl: mock.url,
        apiKey: 'sk-cli-resources',
        models: [{ id: 'claude-sonnet-4-5', input: 3, output: 15 }],
      },
    ],
    aliases: { fast: ['anthropic/claude-sonnet-4-5'] },
  };
  return loadConfig({ env: {}, cwd: home, flags: { home, llm, ...(databaseUrl ? { databaseUrl } : {}) } });
}

describe('createCliResources (CLI commands beside a server)', () => {
  it('with DATABASE_URL: the database, migrated, backs the gateway, which records its calls', async () => {
    const res = await createCliResources(await configFor(database.url), { logger });
    try {
      expect(res.db).toBeDefined();
      expect(res.vault).toBeDefined();
      const answer = await res.llm.generate({
        alias: 'fast',
        messages: [{ role: 'user', content: 'ping' }],
      });
      expect(answer.text).toBe('pong');
      await res.llm.flush();
      const { rows } = await database.db.query('SELECT outcome FROM llm_calls');
      expect(rows).toEqual([{ outcome: 'ok' }]);
    } finally {
      await res.close();
    }
  });

  it('without: the gateway works from config alone and the embedded database is left alone', async () => {
    const config = await configFor(undefined);
    const res = await createCliResources(config, { logger });
    try {
      expect(res.db).toBeUndefined();
      expect(res.vault).toBeUndefined();
      expect((await res.llm.providers()).map((p) => p.name)).toEqual(['anthropic']);
      expect(existsSync(path.join(config.home, 'pg'))).toBe(false);
    } finally {
      await res.close();
    }
  });
});
