import { z } from 'zod';

/** Faults that break a streaming response after some content chunks (see faults.ts). */
export const StreamFaultKind = z.enum(['reset', 'eof', 'stall', 'malformed', 'error-event']);
export type StreamFaultKind = z.infer<typeof StreamFaultKind>;

export const FaultKind = z.enum([...StreamFaultKind.options, 'status']);
export type FaultKind = z.infer<typeof FaultKind>;

/** HTTP error statuses the mock can answer with; each protocol maps them to its own error type. */
export const FaultStatus = z.literal([400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504, 529]);
export type FaultStatus = z.infer<typeof FaultStatus>;

export const ToolCallScript = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
});
export type ToolCallScript = z.infer<typeof ToolCallScript>;

/** The conditions a `match` may hold; an entry answers only when all that it names hold. */
const MATCH_CONDITIONS = ['contains', 'lastUser', 'lastToolResult', 'tool', 'turn'] as const;

export const ScenarioMatch = z
  .strictObject({
    /** The prompt text (system + every message, tool results included) contains this. */
    contains: z.string().min(1).optional(),
    /** The latest user turn's own text (not its tool results) contains this. */
    lastUser: z.string().min(1).optional(),
    /** A tool result in the latest user turn contains this. */
    lastToolResult: z.string().min(1).optional(),
    /** A tool result in the latest user turn answers a call of this tool (with lastToolResult: the same result). */
    tool: z.string().min(1).optional(),
    /** The request holds exactly this many assistant turns (0: the first request of a conversation). */
    turn: z.int().min(0).optional(),
    /** Keep answering every matching request instead of being used up by the first one. */
    repeat: z.boolean().default(false),
  })
  .refine((match) => MATCH_CONDITIONS.some((name) => match[name] !== undefined), {
    message: `a match needs at least one of ${MATCH_CONDITIONS.join(', ')}`,
  });
export type ScenarioMatch = z.infer<typeof ScenarioMatch>;

/**
 * One scripted answer. `reply`, `json` and `toolCall`/`toolCalls` say what the model "says" (`reply`
 * may be combined with tool calls: text first, then the calls); `fault` says how the answer breaks.
 * Strict, so a typo such as `replay:` is an error instead of a silently ignored key.
 */
export const ScenarioEntry = z
  .strictObject({
    reply: z.string().optional(),
    json: z.unknown().optional(),
    toolCall: ToolCallScript.optional(),
    /** Several calls in one answer, in this order (a model's parallel tool calls). */
    toolCalls: z.array(ToolCallScript).min(1).optional(),
    /** Characters per streamed content chunk; `after` counts these chunks. */
    chunkSize: z.int().min(1).optional(),
    /** Pause before each content chunk, in milliseconds. */
    delayMs: z.int().min(0).max(600_000).optional(),
    fault: FaultKind.optional(),
    /** Content chunks sent before a stream fault fires (0: right after the response headers). */
    after: z.int().min(0).optional(),
    status: FaultStatus.optional(),
    /** Seconds, sent as `retry-after` (Gemini: as a RetryInfo detail in the body). */
    retryAfter: z.number().min(0).optional(),
    match: ScenarioMatch.optional(),
  })
  .superRefine((entry, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (entry.json !== undefined && entry.reply !== undefined)
      problem('json', 'use either "reply" or "json"');
    if (entry.json !== undefined && entry.toolCall) problem('json', 'use either "toolCall" or "json"');
    if (entry.json !== undefined && entry.toolCalls) problem('json', 'use either "toolCalls" or "json"');
    if (entry.toolCall && entry.toolCalls) {
      problem('toolCalls', 'use either "toolCall" (one call) or "toolCalls" (a list of calls), not both');
    }
    if (entry.fault === 'status' && entry.status === undefined) {
      problem('status', 'fault "status" needs a status code, e.g. status: 429');
    }
    if (entry.status !== undefined && entry.fault !== 'status')
      problem('status', 'only valid with fault: status');
    if (entry.retryAfter !== undefined && entry.fault !== 'status') {
      problem('retryAfter', 'only valid with fault: status');
    }
    if (entry.after !== undefined && (entry.fault === undefined || entry.fault === 'status')) {
      problem('after', 'only valid with a stream fault (reset, eof, stall, malformed, error-event)');
    }
  });
export type ScenarioEntry = z.input<typeof ScenarioEntry>;
export type ParsedScenarioEntry = z.output<typeof ScenarioEntry>;

export const Scenario = z.array(ScenarioEntry);
