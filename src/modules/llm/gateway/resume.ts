import type { ModelMessage } from 'ai';

/**
 * Mid-stream continuation. When a stream breaks after text reached the caller, the next attempt
 * asks the model to go on from that text, in one of two ways:
 * - `prefill`: the partial text becomes a trailing assistant message the model continues
 *   (Anthropic, Gemini 2.5, vLLM's continue_final_message). Providers refuse trailing whitespace
 *   in a prefill, so it is trimmed and the trimmed tail is expected back and dropped.
 * - `continue`: the partial text as an assistant turn plus a user turn asking to continue; models
 *   often repeat a little, so any overlap with what was already delivered is removed.
 * Either way a ResumeFilter sits between the new stream and the caller so that no character is
 * delivered twice or lost.
 */
export type ResumeMode = 'prefill' | 'continue';

export const CONTINUE_PROMPT =
  'Your previous reply was cut off. Continue exactly where it stopped, without repeating anything already written.';

export function resumeMessages(base: ModelMessage[], delivered: string, mode: ResumeMode): ModelMessage[] {
  if (mode === 'prefill') return [...base, { role: 'assistant', content: delivered.trimEnd() }];
  return [...base, { role: 'assistant', content: delivered }, { role: 'user', content: CONTINUE_PROMPT }];
}

/** Overlaps shorter than this are ignored (unless the whole partial text repeats): "bo"+"ok" is not a repeat. */
const MIN_OVERLAP = 8;
/** How far back a repeated passage is looked for. */
const MAX_OVERLAP = 2_000;

export class ResumeFilter {
  private buffer = '';
  private decided = false;
  private readonly expected: string;
  /** The end of the delivered text that a repeat may come from, and the shortest repeat that counts. */
  private readonly tail: string;
  private readonly minOverlap: number;

  constructor(
    delivered: string,
    private readonly mode: ResumeMode,
  ) {
    this.expected = mode === 'prefill' ? delivered.slice(delivered.trimEnd().length) : '';
    this.tail = mode === 'continue' ? delivered.slice(-MAX_OVERLAP) : '';
    this.minOverlap = Math.max(1, Math.min(MIN_OVERLAP, this.tail.length));
    if (mode === 'prefill' ? this.expected === '' : this.tail === '') this.decided = true;
  }

  /** Feeds new text; returns what may be delivered now (possibly nothing while undecided). */
  push(text: string): string {
    if (this.decided) return text;
    this.buffer += text;
    return this.mode === 'prefill' ? this.decidePrefill(false) : this.decideContinue(false);
  }

  /** The stream ended: release whatever is held. */
  end(): string {
    if (this.decided) return '';
    return this.mode === 'prefill' ? this.decidePrefill(true) : this.decideContinue(true);
  }

  private decidePrefill(final: boolean): string {
    const { buffer, expected } = this;
    if (!final && buffer.length < expected.length && expected.startsWith(buffer)) return '';
    let k = 0;
    while (k < expected.length && k < buffer.length && expected[k] === buffer[k]) k++;
    return this.release(buffer.slice(k));
  }

  private decideContinue(final: boolean): string {
    const { buffer, tail } = this;
    let pending = false;
    let repeat = 0;
    // k: length of a suffix of the delivered text, longest first so the largest repeat wins.
    for (let k = tail.length; k >= this.minOverlap; k--) {
      const start = tail.length - k;
      if (k > buffer.length) {
        // The buffer may still grow into this whole suffix: wait for more text.
        if (tail.startsWith(buffer, start)) pending = true;
      } else if (buffer.startsWith(tail.slice(start))) {
        repeat = k;
        break;
      }
    }
    if (pending && !final) return '';
    // The model stopped mid-repeat: a fragment that long is a repeat, a shorter one is new text.
    if (pending && repeat === 0) return this.release(buffer.length >= this.minOverlap ? '' : buffer);
    return this.release(buffer.slice(repeat));
  }

  private release(text: string): string {
    this.decided = true;
    this.buffer = '';
    return text;
  }
}
