import { ApiError } from '../../api/client.ts';

/**
 * A rejected Blueprint edit in words a person reads: the first problem's own message, without the
 * JSON pointer it names or the patch operation it followed ("(after op 0: add /sections/…)").
 */
export function patchMessage(error: unknown): string {
  const strip = (text: string) => text.replace(/\s*\(after op \d+:[^)]*\)/g, '').trim();
  if (error instanceof ApiError) {
    const first = error.errors.find((e) => e.message)?.message;
    if (first) return capitalize(strip(first));
    return capitalize(strip(error.detail.replace(/^Patch makes the Blueprint invalid:\s*[\w.]+:\s*/, '')));
  }
  return error instanceof Error ? error.message : 'The change could not be saved.';
}

function capitalize(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
