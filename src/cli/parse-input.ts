import type { z } from 'zod';
import { CliError } from './run.ts';

/** Validates CLI flags with the same zod schema the API uses; errors name the flag. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown, prefix = '--'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${prefix}${i.path.join('.')}: ${i.message}`);
  throw new CliError(lines.join('\n'));
}
