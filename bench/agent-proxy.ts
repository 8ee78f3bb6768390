// Part 2 of `npm run bench:agent`: the official Anthropic SDK through Orchard's LLM proxy
// (/llm/anthropic/v1/messages: token check, budget gate, model resolution, metering, llm_calls row)
// against the same SDK calling the mock directly, request by request in the same run.
import Anthropic from '@anthropic-ai/sdk';
import type { ScenarioEntry } from '../src/modules/llm/index.ts';
import { cpuMs } from './agent-loop.ts';

/** A model the SDK has no deprecation notice for (it prints one per request for retired names). */
export const PROXY_MODEL = 'claude-mock-1';
const SHORT = 'Say something short.';
const LONG = 'Stream a longer answer.';

/** Short answers for plain requests, a 400-character answer in 25 chunks for streamed ones. */
export const PROXY_SCENARIO: ScenarioEntry[] = [
  {
    match: { contains: LONG, repeat: true },
    reply: 'Streamed through the proxy. '.repeat(15).slice(0, 400),
    chunkSize: 16,
  },
  { reply: 'Proxied through Orchard.', chunkSize: 8 },
];

/** Per request, in milliseconds; index i of `proxy` and `direct` ran next to each other. */
export interface ProxySamples {
  plain: { proxy: number[]; direct: number[] };
  /** Whole streamed answer. */
  stream: { proxy: number[]; direct: number[] };
  /** Time to the first text delta of a streamed answer. */
  firstToken: { proxy: number[]; direct: number[] };
  /**
   * This process's CPU time per plain and streamed request. Orchard, the mock and the client all
   * run in it, so the difference is the work Orchard adds, whatever the machine's load.
   */
  plainCpu: { proxy: number[]; direct: number[] };
  streamCpu: { proxy: number[]; direct: number[] };
}

export async function benchProxy(options: {
  orchardUrl: string;
  token: string;
  mockUrl: string;
  pairs: number;
  warmup: number;
}): Promise<ProxySamples> {
  // The SDK's fetch keeps connections alive on both sides; no retries, so a failure shows.
  const proxy = new Anthropic({
    baseURL: `${options.orchardUrl}/llm/anthropic`,
    apiKey: options.token,
    maxRetries: 0,
  });
  const direct = new Anthropic({ baseURL: options.mockUrl, apiKey: 'sk-ant-bench', maxRetries: 0 });

  const plain = async (client: Anthropic) => {
    const t0 = performance.now();
    const cpu0 = cpuMs();
    const message = await client.messages.create({
      model: PROXY_MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: SHORT }],
    });
    if (message.content[0]?.type !== 'text') throw new Error('no text in the answer');
    return { ms: performance.now() - t0, cpu: cpuMs() - cpu0 };
  };
  const streamed = async (client: Anthropic) => {
    const t0 = performance.now();
    const cpu0 = cpuMs();
    const stream = await client.messages.create({
      model: PROXY_MODEL,
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: LONG }],
    });
    let first: number | undefined;
    let chars = 0;
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        first ??= performance.now() - t0;
        chars += event.delta.text.length;
      }
    }
    if (chars !== 400 || first === undefined) throw new Error(`streamed ${chars} of 400 characters`);
    return { total: performance.now() - t0, first, cpu: cpuMs() - cpu0 };
  };

  const out: ProxySamples = {
    plain: { proxy: [], direct: [] },
    stream: { proxy: [], direct: [] },
    firstToken: { proxy: [], direct: [] },
    plainCpu: { proxy: [], direct: [] },
    streamCpu: { proxy: [], direct: [] },
  };
  // Pairs alternate which side goes first, so neither always runs on a warmer machine.
  for (let i = 0; i < options.warmup + options.pairs; i++) {
    const record = i >= options.warmup;
    const order = i % 2 === 0 ? (['proxy', 'direct'] as const) : (['direct', 'proxy'] as const);
    for (const side of order) {
      const p = await plain(side === 'proxy' ? proxy : direct);
      if (!record) continue;
      out.plain[side].push(p.ms);
      out.plainCpu[side].push(p.cpu);
    }
    for (const side of order) {
      const s = await streamed(side === 'proxy' ? proxy : direct);
      if (!record) continue;
      out.stream[side].push(s.total);
      out.firstToken[side].push(s.first);
      out.streamCpu[side].push(s.cpu);
    }
  }
  return out;
}
