import { z } from 'zod';

/**
 * `/api/projects/:slug/environments/:env/…`: `:env` is `staging`, `production`,
 * `preview%2F<branch>` or `preview--<branch>` (as the deploy routes).
 */
export const EnvironmentParams = z.object({
  slug: z.string().min(1).max(100),
  env: z.string().min(1).max(300),
});
