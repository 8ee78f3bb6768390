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

/** Asks for two calls of one tool in one answer (matched on the latest user words). */
export const FORECAST_PROMPT = 'Compare the forecasts for Paris and Rome.';
export const FORECAST_CALLS = [
  { name: 'get_weather', args: { city: 'Paris', days: 3 } },
  { name: 'get_weather', args: { city: 'Rome', days: 3 } },
];

/**
 * A three-step edit as an agent loop runs it: the user asks, the model reads two files at once, edits
 * one after seeing them, and reports once the edit's result is back. The test plays the tools with
 * `runTool` and sends every result back with the whole history, as agents do.
 */
export const EDIT_PROMPT = 'Please add CSV export to the report.';
export const EDIT_FILES: Record<string, string> = {
  'src/report.ts': 'export function report(rows: string[]) {\n  return rows.join("\\n");\n}\n',
  'src/export.ts': 'export const formats = ["json"];\n',
};
export const EDIT_ARGS = { path: 'src/export.ts', find: '["json"]', replace: '["json", "csv"]' };
export const DONE_TEXT = 'Done: CSV export added.';
export const EDIT_SCRIPT: ScenarioEntry[] = [
  // `repeat`, so the loop proves that lastUser reads the latest turn only: the history still asks.
  {
    match: { lastUser: 'add CSV export', repeat: true },
    reply: 'Reading both files.',
    toolCalls: [
      { name: 'read_file', args: { path: 'src/report.ts' } },
      { name: 'read_file', args: { path: 'src/export.ts' } },
    ],
  },
  // Quotes and a newline: Gemini's object results must match on their text, not only their JSON.
  {
    match: { tool: 'read_file', lastToolResult: 'formats = ["json"];\n' },
    toolCalls: [{ name: 'edit_file', args: EDIT_ARGS }],
  },
  { match: { tool: 'edit_file', lastToolResult: 'edited src/export.ts', turn: 2 }, reply: DONE_TEXT },
];

/** The tools of EDIT_SCRIPT, played by the test: read_file answers the file, edit_file says it edited. */
export function runTool(name: string, args: Record<string, unknown>): string {
  if (name === 'read_file') return EDIT_FILES[String(args.path)] ?? `no such file: ${String(args.path)}`;
  if (name === 'edit_file') return `edited ${String(args.path)}`;
  return `unknown tool ${name}`;
}

export const EDIT_TOOL_SCHEMAS = {
  read_file: {
    type: 'object' as const,
    properties: { path: { type: 'string' } },
    required: ['path'],
  },
  edit_file: {
    type: 'object' as const,
    properties: { path: { type: 'string' }, find: { type: 'string' }, replace: { type: 'string' } },
    required: ['path', 'find', 'replace'],
  },
};

export const FIDELITY_SCENARIO: ScenarioEntry[] = [
  ...EDIT_SCRIPT,
  { match: { lastUser: FORECAST_PROMPT, repeat: true }, toolCalls: FORECAST_CALLS },
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
