import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { INNER_PORT, openLlmBridge } from './llm-bridge.ts';

let mock: MockLlm;
let dir: string;

beforeAll(async () => {
  mock = await startMockLlm({ scenario: [{ reply: 'Through the bridge.' }] });
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-llm-bridge-'));
});
afterAll(async () => {
  await mock?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An HTTP request over a Unix socket, as the relay inside the sandbox makes it. */
function post(socketPath: string, urlPath: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: urlPath, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the LLM bridge', () => {
  it('gives each origin one inner port, keeping paths, and carries requests to the endpoint', async () => {
    const bridge = await openLlmBridge(
      { anthropic: mock.url, openai: `${mock.url}/v1/`, gemini: 'http://localhost:9/g?x=1', apiKey: 'k' },
      dir,
    );
    try {
      expect(bridge.inner).toEqual({
        anthropic: `http://127.0.0.1:${INNER_PORT}`,
        openai: `http://127.0.0.1:${INNER_PORT}/v1`,
        gemini: `http://127.0.0.1:${INNER_PORT + 1}/g?x=1`,
        apiKey: 'k',
      });
      expect(bridge.routes.map((r) => r.port)).toEqual([INNER_PORT, INNER_PORT + 1]);
      const answer = await post(bridge.routes[0]!.socket, '/v1/chat/completions', {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('Through the bridge.');
      expect(mock.requests().at(-1)).toMatchObject({ path: '/v1/chat/completions' });
    } finally {
      await bridge.close();
    }
  });

  it('refuses an https endpoint (the relay carries bytes; TLS would name the wrong host)', async () => {
    await expect(
      openLlmBridge(
        { anthropic: 'https://proxy.example', openai: mock.url, gemini: mock.url, apiKey: 'k' },
        dir,
      ),
    ).rejects.toThrow("A CLI agent reaches the LLM through Orchard's proxy on this machine over plain HTTP");
  });
});
