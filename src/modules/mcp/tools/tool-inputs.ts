import { z } from 'zod';

/** Input fields several tools share. */
export const Slug = z
  .string()
  .min(1)
  .max(100)
  .describe('The project\'s slug, as in its URL (e.g. "recipe-box")');
export const Cursor = z.string().max(500).optional().describe('nextCursor of the previous page');
export const Limit = z.number().int().min(1).max(100).default(20);
