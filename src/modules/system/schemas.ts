import { z } from 'zod';

export const CheckResultView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['ok', 'warn', 'fail']),
  summary: z.string(),
  fix: z.string().optional(),
});

export const SystemWarnings = z.object({ items: z.array(CheckResultView) });
export type SystemWarnings = z.infer<typeof SystemWarnings>;
