/** The outcome of an exact-replace edit: the new text, or why it was refused. */
export type EditOutcome = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Replaces `oldText` with `newText` where it occurs exactly once. No match and several matches
 * are refused with a reason the model can act on (what to include to make it unique).
 */
export function editText(text: string, oldText: string, newText: string): EditOutcome {
  if (oldText.length === 0)
    return { ok: false, reason: 'old_text is empty; use write_file to create a file.' };
  const first = text.indexOf(oldText);
  if (first < 0) {
    const trimmed = oldText.trim();
    const hint =
      trimmed !== oldText && text.includes(trimmed)
        ? ' It occurs with different surrounding whitespace; copy it exactly as read_file shows it.'
        : ' Read the file again and copy the text exactly, including indentation.';
    return { ok: false, reason: `old_text was not found.${hint}` };
  }
  const second = text.indexOf(oldText, first + 1);
  if (second >= 0) {
    let count = 2;
    for (let at = text.indexOf(oldText, second + 1); at >= 0; at = text.indexOf(oldText, at + 1)) count += 1;
    const line = (at: number) => text.slice(0, at).split('\n').length;
    return {
      ok: false,
      reason: `old_text occurs ${count} times (lines ${line(first)} and ${line(second)}${count > 2 ? ', …' : ''}); include more surrounding lines so it matches exactly once.`,
    };
  }
  return { ok: true, text: text.slice(0, first) + newText + text.slice(first + oldText.length) };
}

/** Long output kept readable: the head and the tail, with what was cut in between. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.6);
  const tail = max - head;
  return `${text.slice(0, head)}\n… [${text.length - max} characters cut] …\n${text.slice(text.length - tail)}`;
}
