import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import type { Scope } from '../../../platform/http/actor.ts';
import { MOCK_MODELS } from '../gateway-on-mock.test-support.ts';
import { type MockLlm, type ScenarioEntry, startMockLlm } from '../mock/index.ts';
import type { LlmCallRow } from '../telemetry/call-store.ts';
import { allowAllBudgets } from './proxy-caller.ts';

export const SCRIPTED = 'Proxied through Orchard, metered on the way.';

export interface ProxyOnMock {
  t: TestApp;
  mock: MockLlm;
  /** Orchard's listening base URL (the SDKs need a real socket). */
  url: string;
  /** A token bound to an agent session of a project, as agent sessions hand them out. */
  agent: { token: string; projectId: string; agentSessionId: string };
  /** A member's own token (bound to nothing). */
  person: { token: string };
  /** `llm_calls` rows written after `since` (a row id), oldest first, once every queued row is written. */
  rowsSince(since: number): Promise<LlmCallRow[]>;
  lastRowId(): Promise<number>;
  /** A token bound to a fresh agent session of the same project. */
  boundToken(scopes?: Scope[]): Promise<{ token: string; agentSessionId: string }>;
  close(): Promise<void>;
}

/**
 * Orchard listening on a free port, its providers (anthropic, gemini, openai-compatible) the mock
 * server, and two callers: an agent session's token and a person's.
 */
export async function startProxyOnMock(
  options: {
    scenario?: ScenarioEntry[];
    providers?: Array<Record<string, unknown>>;
    aliases?: Record<string, string[]>;
    /** More of the `llm` block (timeouts, breaker). */
    llm?: Record<string, unknown>;
    /** Reaches the HTTP server (e.g. the budget gate; default: allow every request). */
    http?: NonNullable<Parameters<typeof createTestApp>[1]>['http'];
  } = {},
): Promise<ProxyOnMock> {
  const mock = await startMockLlm({ scenario: options.scenario ?? [{ reply: SCRIPTED, chunkSize: 6 }] });
  const t = await createTestApp(
    {
      llm: {
        providers: [
          {
            name: 'anthropic',
            kind: 'anthropic',
            baseUrl: mock.url,
            apiKey: 'sk-ant-upstream-key',
            models: MOCK_MODELS.anthropic,
          },
          {
            name: 'gemini',
            kind: 'gemini',
            baseUrl: mock.url,
            apiKey: 'gemini-upstream-key',
            models: MOCK_MODELS.gemini,
          },
          {
            name: 'openai',
            kind: 'openai-compatible',
            baseUrl: `${mock.url}/v1`,
            apiKey: 'sk-openai-upstream-key',
            models: MOCK_MODELS.openai,
          },
          ...(options.providers ?? []),
        ],
        aliases: {
          coder: ['openai/gpt-mock', 'anthropic/claude-sonnet-4-5'],
          fast: ['gemini/gemini-2.5-flash'],
          ...options.aliases,
        },
        ...options.llm,
      },
    },
    // Tokens here are bound to made-up session ids: the real gate (agent sessions) would refuse them.
    { http: options.http ?? { checkLlmBudget: allowAllBudgets } },
  );
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
  const owner = await t.user('member');
  const project = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(owner.token),
    payload: { name: 'Proxy', slug: 'proxy' },
  });
  const projectId: string = project.json().id;
  const boundToken = async (scopes?: Scope[]) => {
    const { user, token } = await t.user('member', scopes);
    const agentSessionId = randomUUID();
    // Agent sessions bind the tokens they hand out; here the binding is written directly.
    await t.res.db.query('UPDATE api_tokens SET agent_session_id = $1, project_id = $2 WHERE user_id = $3', [
      agentSessionId,
      projectId,
      user.id,
    ]);
    return { token, agentSessionId };
  };
  const agent = { ...(await boundToken()), projectId };
  return {
    t,
    mock,
    url,
    agent,
    person: { token: (await t.user('member')).token },
    boundToken,
    async rowsSince(since) {
      await t.res.llm.flush();
      const { rows } = await t.res.db.query<LlmCallRow>('SELECT * FROM llm_calls WHERE id > $1 ORDER BY id', [
        since,
      ]);
      return rows.map((r) => ({ ...r, cost_usd: r.cost_usd === null ? null : Number(r.cost_usd) }));
    },
    async lastRowId() {
      await t.res.llm.flush();
      const { rows } = await t.res.db.query<{ id: string | null }>('SELECT max(id) AS id FROM llm_calls');
      return Number(rows[0]?.id ?? 0);
    },
    async close() {
      await t.close();
      await mock.close();
    },
  };
}
