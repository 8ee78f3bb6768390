import { createHash } from 'node:crypto';
import { parseStack, type StackFrame } from './stack-frames.ts';

/** How many of the top frames name an error's place. */
const TOP_FRAMES = 5;

/**
 * The key that merges repeats of one error into one group: the exception type and the top frames of
 * the app's own code (function and file; line and column, absolute paths, query strings and bundle
 * hashes dropped, so a rebuild or a line added above keeps the group). Without a usable stack, the
 * type and the message with its numbers, ids and hex masked.
 */
export function fingerprint(input: { type: string; message: string; stack?: string | null }): string {
  const frames = topFrames(input.stack ? parseStack(input.stack) : []);
  const basis = frames.length
    ? frames.map((f) => `${f.fn} ${f.file}`).join('\n')
    : maskMessage(input.message);
  return createHash('sha256').update(`${input.type}\n${basis}`).digest('hex').slice(0, 32);
}

/** The app's own frames when there are any, else the dependencies' (never the runtime's alone). */
function topFrames(frames: StackFrame[]): StackFrame[] {
  const inApp = frames.filter((f) => f.kind === 'app');
  if (inApp.length) return inApp.slice(0, TOP_FRAMES);
  return frames.filter((f) => f.kind === 'dependency').slice(0, TOP_FRAMES);
}

/** `User 42 not found (id 3f2a…)` → `User <n> not found (id <id>)`. */
export function maskMessage(message: string): string {
  return message
    .slice(0, 2000)
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>')
    .replace(/\d+(?:\.\d+)?/g, '<n>')
    .trim();
}
