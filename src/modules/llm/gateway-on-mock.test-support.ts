import { PassThrough } from 'node:stream';
import type { Tracer } from '@opentelemetry/api';
import { type Config, loadConfig } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { createLogger } from '../../platform/log.ts';
import { createMetrics, type Metrics } from '../../platform/metrics.ts';
import type { Vault } from '../secrets/index.ts';
import { createLlmGateway, type LlmGateway } from './gateway/create-gateway.ts';
import { type MockLlm, type ScenarioEntry, startMockLlm } from './mock/index.ts';

/** Prices (USD per million tokens) of the models the mock plays in tests and benchmarks. */
export const MOCK_MODELS = {
  anthropic: [
    { id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true },
    { id: 'claude-no-prefill-4-6', input: 5, cachedInput: 0.5, output: 25 },
  ],
  gemini: [{ id: 'gemini-2.5-flash', input: 0.3, output: 2.5 }],
  openai: [
    { id: 'gpt-mock', input: 1.25, cachedInput: 0.125, output: 10 },
    { id: 'vllm-mock', input: 0.5, output: 1, prefill: true },
  ],
};

export interface GatewayOnMock {
  mock: MockLlm;
  gateway: LlmGateway;
  config: Config;
  metrics: Metrics;
  /** Every backoff the gateway asked for (the injected sleep returns at once). */
  sleeps: number[];
  logs: string[];
  close(): Promise<void>;
}

export interface GatewayOnMockOptions {
  scenario?: ScenarioEntry[];
  /** Deep-merged over the default `llm` block (three providers on the mock, four aliases). */
  llm?: Record<string, unknown>;
  apiKeys?: { anthropic?: string; gemini?: string; openai?: string };
  /** Providers beyond the three on the mock (e.g. one on a second server). */
  extraProviders?: Array<Record<string, unknown>>;
  db?: Queryable;
  vault?: Vault;
  clock?: Clock;
  tracer?: Tracer;
  env?: Record<string, string | undefined>;
  /** Real sleeps (benchmarks); tests keep the default, which records and returns at once. */
  realSleep?: boolean;
}

/** A gateway whose providers (anthropic, gemini, openai-compatible) are all the in-process mock server. */
export async function startGatewayOnMock(options: GatewayOnMockOptions = {}): Promise<GatewayOnMock> {
  const mock = await startMockLlm({ scenario: options.scenario ?? [] });
  const keys = options.apiKeys ?? {};
  const llm = {
    providers: [
      {
        name: 'anthropic',
        kind: 'anthropic',
        baseUrl: mock.url,
        apiKey: keys.anthropic ?? 'sk-ant-test',
        models: MOCK_MODELS.anthropic,
      },
      {
        name: 'gemini',
        kind: 'gemini',
        baseUrl: mock.url,
        apiKey: keys.gemini ?? 'gemini-test-key',
        models: MOCK_MODELS.gemini,
      },
      {
        name: 'openai',
        kind: 'openai-compatible',
        baseUrl: `${mock.url}/v1`,
        apiKey: keys.openai ?? 'sk-openai-test',
        models: MOCK_MODELS.openai,
      },
      ...(options.extraProviders ?? []),
    ],
    aliases: {
      architect: ['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'],
      coder: ['openai/gpt-mock', 'anthropic/claude-sonnet-4-5'],
      planner: ['gemini/gemini-2.5-flash', 'openai/gpt-mock'],
      fast: ['gemini/gemini-2.5-flash'],
    },
    timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 400 },
    retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 },
    breaker: { failureThreshold: 3, cooldownMs: 30_000 },
    ...options.llm,
  };
  const config = loadConfig({ env: {}, cwd: '/', flags: { llm, logLevel: 'info' } });
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'info', destination: stream });
  const metrics = createMetrics({ defaultMetrics: false });
  const sleeps: number[] = [];
  const gateway = createLlmGateway({
    config,
    logger,
    metrics,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.db ? { db: options.db } : {}),
    ...(options.vault ? { vault: options.vault } : {}),
    ...(options.tracer ? { tracer: options.tracer } : {}),
    env: options.env ?? {},
    random: () => 0.5,
    ...(options.realSleep
      ? {}
      : {
          sleep: async (ms: number) => {
            sleeps.push(ms);
          },
        }),
  });
  return {
    mock,
    gateway,
    config,
    metrics,
    sleeps,
    logs,
    async close() {
      await gateway.flush();
      await mock.close();
    },
  };
}
