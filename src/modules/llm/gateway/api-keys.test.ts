import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { Vault } from '../../secrets/index.ts';
import { LlmUnavailableError } from '../errors.ts';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';
import { putLlmSecret } from '../providers/put-llm-secret.ts';

const KEYS = {
  literal: 'sk-live-LITERAL-0123456789abcdef',
  env: 'sk-live-FROM-ENV-fedcba9876543210',
  secret: 'sk-live-FROM-SECRET-0a1b2c3d4e5f',
};

let database: TestDatabase;
let echo: Server;
let g: GatewayOnMock;
const received: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const vault = new Vault(randomBytes(32));
  await putLlmSecret(database.db, vault, { actor: SYSTEM_ACTOR }, 'ECHO_KEY', KEYS.secret);
  // Like OpenAI, this server quotes the key it was given back in its 401 message.
  echo = createServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    received.push(key);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          message: `Incorrect API key provided: ${key}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      }),
    );
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
  const provider = (name: string, apiKey: string) => ({
    name,
    kind: 'openai-compatible',
    baseUrl: url,
    apiKey,
    models: [{ id: 'm' }],
  });
  g = await startGatewayOnMock({
    db: database.db,
    vault,
    env: { ECHO_ENV_KEY: KEYS.env },
    extraProviders: [
      provider('lit', KEYS.literal),
      provider('envkey', 'env:ECHO_ENV_KEY'),
      provider('sec', 'secret:ECHO_KEY'),
    ],
    llm: { aliases: { coder: ['lit/m', 'envkey/m', 'sec/m'] } },
  });
});
afterAll(async () => {
  await g?.close();
  await new Promise((resolve) => echo?.close(resolve));
  await database?.drop();
});

describe('API keys', () => {
  it('are resolved from a literal, the environment and a sealed secret, and appear in no error, log or record', async () => {
    const error = await g.gateway
      .generate({ alias: 'coder', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as LlmUnavailableError).attempts.map((a) => [a.provider, a.errorType, a.status])).toEqual([
      ['lit', 'auth', 401],
      ['envkey', 'auth', 401],
      ['sec', 'auth', 401],
    ]);
    // Each provider sent its own key…
    expect(received).toEqual([KEYS.literal, KEYS.env, KEYS.secret]);
    // …and none of them is anywhere Orchard writes.
    await g.gateway.flush();
    const { rows } = await database.db.query('SELECT * FROM llm_calls ORDER BY id');
    expect(rows).toHaveLength(3);
    expect(rows[0].error_message).toBe('Incorrect API key provided: ***.');
    const places = {
      error: `${(error as Error).message} ${JSON.stringify(error)} ${(error as Error).stack}`,
      logs: g.logs.join('\n'),
      records: JSON.stringify(rows),
      providers: JSON.stringify(await g.gateway.providers()),
      metrics: await g.metrics.registry.metrics(),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const key of Object.values(KEYS)) expect(text, `${place} holds a key`).not.toContain(key);
    }
  });

  it('a key that cannot be read sends the call to the next model and says why', async () => {
    const local = await startGatewayOnMock({
      extraProviders: [
        {
          name: 'nokey',
          kind: 'anthropic',
          baseUrl: 'http://127.0.0.1:9',
          apiKey: 'env:MISSING_KEY',
          models: [],
        },
      ],
      llm: { aliases: { fast: ['nokey/claude', 'gemini/gemini-2.5-flash'] } },
      scenario: [{ reply: 'ok' }],
    });
    try {
      const result = await local.gateway.generate({
        alias: 'fast',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(result).toMatchObject({ text: 'ok', provider: 'gemini' });
      expect(local.logs.join('\n')).toContain('environment variable MISSING_KEY is not set');
    } finally {
      await local.close();
    }
  });
});
