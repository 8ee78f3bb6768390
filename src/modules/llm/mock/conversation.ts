/** A tool result a client sends back; `tool` where the protocol names it (Gemini), else found by `callId`. */
export interface SentToolResult {
  callId?: string;
  tool?: string;
  text: string;
}

/** A conversation reduced to what the mock needs: who said which text, which tools were called and answered. */
export interface Turn {
  role: 'user' | 'assistant';
  /** The side's own words (text blocks), not its tool results. */
  text: string;
  /** Assistant side: the calls it made, so that a later result can be traced to its tool. */
  toolCalls?: Array<{ id: string; name: string }>;
  /** User side: the tool results it sends back. */
  toolResults?: SentToolResult[];
}

/** A tool result in the latest user turn, with the name of the tool whose call it answers when known. */
export interface ToolResult {
  tool: string | null;
  text: string;
}

/** What the scenario player matches on (see scenario-match.ts). */
export interface MatchFacts {
  /** System text plus every turn's text and tool results: what `match.contains` is checked against. */
  promptText: string;
  /** The own text of the user turn after the last assistant turn ('' when it only carries tool results). */
  lastUserText: string;
  /** The tool results of that same turn. */
  lastToolResults: ToolResult[];
  /** Assistant turns so far; one answer (text, then calls) is one turn, however many messages carry it. */
  assistantTurns: number;
}

export interface ConversationFacts extends MatchFacts {
  /** Text of a trailing assistant turn (an assistant prefill), when the protocol continues it. */
  prefill: string | null;
  /** Text of the latest assistant turn when the final user turn asks to "continue". */
  continueFrom: string | null;
}

// A resume request written as a plain user turn ("continue from where you stopped") must name it:
// without the word, an earlier assistant answer that happens to prefix the script would cut it.
const CONTINUE_WORD = /\bcontinue\b/i;

/** Finds the match facts and the two ways a client resumes a broken stream (see README.md). */
export function readConversation(system: string, sent: Turn[], allowPrefill: boolean): ConversationFacts {
  const turns = mergeSameSide(sent);
  const promptText = [system, ...turns.flatMap((t) => [t.text, ...(t.toolResults ?? []).map((r) => r.text)])]
    .filter((t) => t.length > 0)
    .join('\n');
  const last = turns.at(-1);
  const prefill = allowPrefill && last?.role === 'assistant' ? last.text : null;
  let continueFrom: string | null = null;
  if (last?.role === 'user' && CONTINUE_WORD.test(last.text)) {
    const partial = turns.findLast((t) => t.role === 'assistant')?.text;
    if (partial) continueFrom = partial;
  }
  const latest = last?.role === 'user' ? last : null;
  const calls = turns.flatMap((t) => t.toolCalls ?? []).filter((c) => c.id.length > 0);
  const callNames = new Map(calls.map((c) => [c.id, c.name]));
  const lastToolResults = (latest?.toolResults ?? []).map((r) => ({
    // A result whose call is not in the request (or has no name) answers no known tool.
    tool: (r.tool ?? (r.callId === undefined ? undefined : callNames.get(r.callId))) || null,
    text: r.text,
  }));
  return {
    promptText,
    prefill,
    continueFrom,
    lastUserText: latest?.text ?? '',
    lastToolResults,
    assistantTurns: turns.filter((t) => t.role === 'assistant').length,
  };
}

// Protocols split one turn over several messages (OpenAI: one `tool` message per result; Responses:
// a message item and a function_call item per answer; Claude Code: system turns between user blocks).
function mergeSameSide(turns: Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const previous = merged.at(-1);
    if (previous?.role !== turn.role) {
      merged.push({ ...turn });
      continue;
    }
    previous.text = [previous.text, turn.text].filter((t) => t.length > 0).join('\n');
    previous.toolCalls = [...(previous.toolCalls ?? []), ...(turn.toolCalls ?? [])];
    previous.toolResults = [...(previous.toolResults ?? []), ...(turn.toolResults ?? [])];
  }
  return merged;
}

/**
 * The text of a tool result as clients send it: a string, a list of content blocks (their text), or an
 * object such as Gemini's `functionResponse.response` (its string values one a line, then its JSON, so
 * both `{"output":…}` and the raw output match).
 */
export function toolResultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return value
      .map((block) => (typeof block?.text === 'string' ? block.text : ''))
      .filter((t) => t.length > 0)
      .join('\n');
  }
  const json = JSON.stringify(value);
  return [...stringValues(value), json].join('\n');
}

function stringValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringValues);
}

/** Rough and deterministic: about four characters per token, never zero. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
