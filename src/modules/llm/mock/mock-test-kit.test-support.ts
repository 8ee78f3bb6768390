import type { ScenarioEntry } from './schemas.ts';

/** Shared fixtures for the SDK fidelity tests (not a test file itself). */
export const SCRIPTED_TEXT = 'The quick brown fox jumps over the lazy dog.';
export const WEATHER_ARGS = { city: 'Paris', days: 3 };
export const PLAN_JSON = { title: 'Photo gallery', steps: ['scaffold', 'upload', 'share'] };
export const PLAN_SCHEMA = {
  type: 'object' as const,
  properties: { title: { type: 'string' }, steps: { type: 'array', items: { type: 'string' } } },
  required: ['title', 'steps'],
  additionalProperties: false,
};
export const WEATHER_SCHEMA = {
  type: 'object' as const,
  properties: { city: { type: 'string' }, days: { type: 'number' } },
  required: ['city', 'days'],
};

/** Prompts that pick the tool-call and JSON entries; anything else gets SCRIPTED_TEXT. */
export const WEATHER_PROMPT = 'What is the weather in Paris?';
export const PLAN_PROMPT = 'Give me the plan as JSON.';

export const FIDELITY_SCENARIO: ScenarioEntry[] = [
  { match: { contains: 'weather', repeat: true }, toolCall: { name: 'get_weather', args: WEATHER_ARGS } },
  { match: { contains: 'plan as JSON', repeat: true }, json: PLAN_JSON },
  { reply: SCRIPTED_TEXT, chunkSize: 8 },
];

/** The first `n` chunks of SCRIPTED_TEXT, i.e. what a client has when a fault fires after `n`. */
export function scriptedPrefix(n: number): string {
  return SCRIPTED_TEXT.slice(0, n * 8);
}

export function fault(value: string): Record<string, string> {
  return { 'x-mock-fault': value };
}

/**
 * Aborts after `ms` and remembers that it had to: a test that finds `fired()` true after the stream
 * ended proves the stream was still open at the deadline (a stall), instead of sleeping and hoping.
 */
export function abortLater(ms: number) {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort();
  }, ms);
  return { signal: controller.signal, fired: () => fired, cancel: () => clearTimeout(timer) };
}

/** Resolves with what the promise throws; fails the test if it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
