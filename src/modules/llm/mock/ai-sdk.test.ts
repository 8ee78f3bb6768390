import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, type LanguageModel, Output, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  abortLater,
  DONE_TEXT,
  EDIT_ARGS,
  EDIT_PROMPT,
  FIDELITY_SCENARIO,
  FORECAST_CALLS,
  FORECAST_PROMPT,
  fault,
  PLAN_JSON,
  PLAN_PROMPT,
  runTool,
  SCRIPTED_TEXT,
  scriptedPrefix,
  WEATHER_ARGS,
  WEATHER_PROMPT,
} from './mock-test-kit.test-support.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ scenario: FIDELITY_SCENARIO });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

/** Everything a streamText run reported, read from fullStream (errors included). */
async function run(options: Omit<Parameters<typeof streamText>[0], 'model'>, model: LanguageModel) {
  const seen = {
    text: '',
    errors: [] as unknown[],
    thrown: undefined as unknown,
    finish: undefined as string | undefined,
    usage: undefined as { inputTokens?: number; outputTokens?: number } | undefined,
    toolCalls: [] as Array<{ toolName: string; input: unknown }>,
  };
  // onError: errors are read from fullStream; without it streamText also prints each one.
  const result = streamText({ model, maxRetries: 0, onError: () => {}, ...options } as Parameters<
    typeof streamText
  >[0]);
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') seen.text += part.text;
      else if (part.type === 'error') seen.errors.push(part.error);
      else if (part.type === 'tool-call') seen.toolCalls.push({ toolName: part.toolName, input: part.input });
      else if (part.type === 'finish') {
        seen.finish = part.finishReason;
        seen.usage = part.totalUsage;
      }
    }
  } catch (error) {
    seen.thrown = error;
  }
  return seen;
}

type Seen = Awaited<ReturnType<typeof run>>;

/**
 * What each AI SDK provider does with the faults whose handling differs between them (observed with
 * ai 6, @ai-sdk/anthropic 3, @ai-sdk/google 3, @ai-sdk/openai-compatible 2).
 */
const providers: Array<{
  name: string;
  model: () => LanguageModel;
  eof: (seen: Seen) => void;
  errorEvent: (seen: Seen) => void;
}> = [
  {
    name: '@ai-sdk/anthropic',
    model: () => createAnthropic({ baseURL: `${mock.url}/v1`, apiKey: 'sk-ant-test' })('claude-sonnet-4-6'),
    eof: (seen) => {
      expect(seen.errors).toEqual([]);
      expect(seen.finish).toBe('other');
    },
    errorEvent: (seen) => {
      expect(seen.errors).toEqual([{ type: 'overloaded_error', message: 'Overloaded' }]);
      expect(seen.finish).toBe('error');
    },
  },
  {
    name: '@ai-sdk/google',
    model: () =>
      createGoogleGenerativeAI({ baseURL: `${mock.url}/v1beta`, apiKey: 'gemini-test' })('gemini-2.5-flash'),
    eof: (seen) => {
      expect(seen.errors).toEqual([]);
      expect(seen.finish).toBe('other');
    },
    // The bare JSON error that js-genai detects is not an SSE event, so the AI SDK skips it.
    errorEvent: (seen) => {
      expect(seen.errors).toEqual([]);
      expect(seen.finish).toBe('other');
    },
  },
  {
    name: '@ai-sdk/openai-compatible',
    model: () =>
      createOpenAICompatible({
        name: 'mock',
        baseURL: `${mock.url}/v1`,
        apiKey: 'sk-test',
        includeUsage: true,
        // Sends response_format json_schema (without it, json_object plus a warning).
        supportsStructuredOutputs: true,
      })('gpt-mock'),
    eof: (seen) => {
      expect(seen.errors.map((e) => (e as Error).message)).toEqual([
        'Response stream ended without a finish reason.',
      ]);
      expect(seen.finish).toBe('error');
    },
    errorEvent: (seen) => {
      expect(seen.errors).toMatchObject([{ message: 'The server is overloaded. Please try again later.' }]);
      expect(seen.finish).toBe('error');
    },
  },
];

describe.each(providers)('AI SDK streamText with $name against the mock', (provider) => {
  it('streams the scripted text with usage', async () => {
    const seen = await run({ prompt: 'Say something' }, provider.model());
    expect(seen.errors).toEqual([]);
    expect(seen.text).toBe(SCRIPTED_TEXT);
    expect(seen.finish).toBe('stop');
    expect(seen.usage?.outputTokens).toBe(Math.ceil(SCRIPTED_TEXT.length / 4));
    expect(seen.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('streams a tool call with parsed arguments', async () => {
    const tools = {
      get_weather: tool({
        description: 'Weather',
        inputSchema: z.object({ city: z.string(), days: z.number() }),
      }),
    };
    const seen = await run({ prompt: WEATHER_PROMPT, tools }, provider.model());
    expect(seen.toolCalls).toEqual([{ toolName: 'get_weather', input: WEATHER_ARGS }]);
    expect(seen.finish).toBe('tool-calls');
  });

  it('streams two tool calls of one answer as two tool-call parts', async () => {
    const tools = {
      get_weather: tool({
        description: 'Weather',
        inputSchema: z.object({ city: z.string(), days: z.number() }),
      }),
    };
    const seen = await run({ prompt: FORECAST_PROMPT, tools }, provider.model());
    expect(seen.errors).toEqual([]);
    expect(seen.toolCalls).toEqual(FORECAST_CALLS.map((call) => ({ toolName: call.name, input: call.args })));
    expect(seen.finish).toBe('tool-calls');
  });

  it('drives an agent loop with executing tools through the three steps of a tool script', async () => {
    const tools = {
      read_file: tool({
        inputSchema: z.object({ path: z.string() }),
        execute: async (input) => runTool('read_file', input),
      }),
      edit_file: tool({
        inputSchema: z.object({ path: z.string(), find: z.string(), replace: z.string() }),
        execute: async (input) => runTool('edit_file', input),
      }),
    };
    const result = streamText({
      model: provider.model(),
      prompt: EDIT_PROMPT,
      tools,
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });
    const steps = await result.steps;
    expect(steps.map((step) => step.toolCalls.map((call) => call.toolName))).toEqual([
      ['read_file', 'read_file'],
      ['edit_file'],
      [],
    ]);
    expect(steps[1]?.toolCalls[0]?.input).toEqual(EDIT_ARGS);
    expect(await result.text).toBe(DONE_TEXT);
  });

  it('returns the scripted JSON as structured output', async () => {
    const schema = z.object({ title: z.string(), steps: z.array(z.string()) });
    const result = streamText({
      model: provider.model(),
      prompt: PLAN_PROMPT,
      output: Output.object({ schema }),
    });
    expect(await result.output).toEqual(PLAN_JSON);
  });

  it('reports 429 as a retryable APICallError carrying retry-after, and 500/503/529 with their status', async () => {
    const limited = await run({ prompt: 'hi', headers: fault('status:429:2') }, provider.model());
    const [error] = limited.errors;
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
    for (const status of [500, 503, 529]) {
      const seen = await run({ prompt: 'hi', headers: fault(`status:${status}`) }, provider.model());
      expect(seen.errors).toMatchObject([{ statusCode: status, isRetryable: true }]);
    }
    // Gemini sends its retry hint in the body only; the others send a retry-after header.
    const hint = (error as APICallError).responseHeaders?.['retry-after'];
    expect(hint).toBe(provider.name === '@ai-sdk/google' ? undefined : '2');
  });

  it('throws a retryable APICallError ("terminated") on a reset mid-stream', async () => {
    const seen = await run({ prompt: 'hi', headers: fault('reset:2') }, provider.model());
    expect(seen.text).toBe(scriptedPrefix(2));
    expect(APICallError.isInstance(seen.thrown)).toBe(true);
    expect(seen.thrown).toMatchObject({ isRetryable: true, cause: { message: 'terminated' } });
  });

  it('handles eof (clean end without the terminal marker) as observed', async () => {
    const seen = await run({ prompt: 'hi', headers: fault('eof:3') }, provider.model());
    expect(seen.text).toBe(scriptedPrefix(3));
    provider.eof(seen);
  });

  it('reports a malformed chunk as an error part and keeps reading', async () => {
    const seen = await run({ prompt: 'hi', headers: fault('malformed:1') }, provider.model());
    expect(seen.errors).toHaveLength(1);
    expect((seen.errors[0] as Error).name).toBe('AI_JSONParseError');
    expect(seen.text).toBe(SCRIPTED_TEXT);
    expect(seen.finish).toBe('stop');
  });

  it('handles a mid-stream error event as observed', async () => {
    const seen = await run({ prompt: 'hi', headers: fault('error-event:2') }, provider.model());
    expect(seen.text).toBe(scriptedPrefix(2));
    provider.errorEvent(seen);
  });

  it('holds a stalled stream open until the abort signal fires', async () => {
    const deadline = abortLater(300);
    const seen = await run(
      { prompt: 'hi', headers: fault('stall:2'), abortSignal: deadline.signal },
      provider.model(),
    );
    expect(deadline.fired()).toBe(true);
    expect(seen.text).toBe(scriptedPrefix(2));
    expect(seen.finish).toBeUndefined();
  });
});

describe('AI SDK provider specifics', () => {
  it('@ai-sdk/anthropic turns an overloaded error as the first event into a retryable 529', async () => {
    const model = createAnthropic({ baseURL: `${mock.url}/v1`, apiKey: 'k' })('claude-sonnet-4-6');
    const seen = await run({ prompt: 'hi', headers: fault('error-event:0') }, model);
    expect(seen.errors).toMatchObject([{ statusCode: 529, isRetryable: true, message: 'Overloaded' }]);
  });

  it('@ai-sdk/anthropic structured output through its forced json tool gets the scripted JSON', async () => {
    const model = createAnthropic({ baseURL: `${mock.url}/v1`, apiKey: 'k' })('claude-sonnet-4-6');
    const schema = z.object({ title: z.string(), steps: z.array(z.string()) });
    const result = streamText({
      model,
      prompt: PLAN_PROMPT,
      output: Output.object({ schema }),
      providerOptions: { anthropic: { structuredOutputMode: 'jsonTool' } },
    });
    expect(await result.output).toEqual(PLAN_JSON);
    expect(mock.requests()[0]?.body).toMatchObject({
      tools: [{ name: 'json' }],
      tool_choice: { type: 'any' },
    });
  });

  it('@ai-sdk/openai-compatible sends stream_options only with includeUsage', async () => {
    const bare = createOpenAICompatible({ name: 'mock', baseURL: `${mock.url}/v1` })('gpt-mock');
    const seen = await run({ prompt: 'hi' }, bare);
    expect(seen.text).toBe(SCRIPTED_TEXT);
    const [recorded] = mock.requests();
    expect(recorded?.body).not.toHaveProperty('stream_options');
    expect(recorded?.headers).not.toHaveProperty('authorization');
  });
});
