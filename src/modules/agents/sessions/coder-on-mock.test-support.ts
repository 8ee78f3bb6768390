import type { MockLlm } from '../../llm/index.ts';

/**
 * The `llm` config block of a test app whose `coder` alias is the mock LLM server (OpenAI-compatible
 * protocol), as the agent tests use it. `timeouts` and `retry` replace the defaults here.
 */
export function coderOnMock(
  mock: MockLlm,
  options: { timeouts?: Record<string, number>; retry?: Record<string, number> } = {},
) {
  return {
    providers: [
      {
        name: 'openai',
        kind: 'openai-compatible',
        baseUrl: `${mock.url}/v1`,
        apiKey: 'sk-upstream-secret',
        models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
      },
    ],
    aliases: { coder: ['openai/gpt-mock'] },
    timeouts: options.timeouts ?? { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 },
    retry: options.retry ?? { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
  };
}
