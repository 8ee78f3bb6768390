/** A conversation reduced to what the mock needs: who said which text. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

export interface ConversationFacts {
  /** System text plus every turn's text: what `match.contains` is checked against. */
  promptText: string;
  /** Text of a trailing assistant turn (an assistant prefill), when the protocol continues it. */
  prefill: string | null;
  /** Text of the latest assistant turn when the final user turn asks to "continue". */
  continueFrom: string | null;
}

// A resume request written as a plain user turn ("continue from where you stopped") must name it:
// without the word, an earlier assistant answer that happens to prefix the script would cut it.
const CONTINUE_WORD = /\bcontinue\b/i;

/** Finds the match text and the two ways a client resumes a broken stream (see README.md). */
export function readConversation(system: string, turns: Turn[], allowPrefill: boolean): ConversationFacts {
  const promptText = [system, ...turns.map((t) => t.text)].filter((t) => t.length > 0).join('\n');
  const last = turns.at(-1);
  const prefill = allowPrefill && last?.role === 'assistant' ? last.text : null;
  let continueFrom: string | null = null;
  if (last?.role === 'user' && CONTINUE_WORD.test(last.text)) {
    const partial = turns.findLast((t) => t.role === 'assistant')?.text;
    if (partial) continueFrom = partial;
  }
  return { promptText, prefill, continueFrom };
}

/** Rough and deterministic: about four characters per token, never zero. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
