/** How much of a tool's output an event carries; the rest is cut (the model saw it whole). */
export const OUTPUT_LIMIT = 4096;

/** Text cut to `limit` characters, saying how much was cut. */
export function clip(text: string, limit = OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}
