import { z } from 'zod';
import type { VerifyInput } from '../../automation/index.ts';
import { RequestedBy } from '../deps.ts';

/** `studio.verify-environment`: the browser robot on an environment or URL, asked for by a person or agent. */
export const VERIFY_ENVIRONMENT_KIND = 'studio.verify-environment';

export const VerifyEnvironmentInput = z.object({
  requestedBy: RequestedBy,
  /** Where the robot goes (the environment's URL, or the URL asked for). */
  url: z.string(),
  environment: z.string().nullable(),
  /** The release the environment runs, when this run's verdict is to be recorded on it. */
  release: z.object({ id: z.uuid(), sha: z.string().min(7) }).nullable(),
  verify: z.custom<VerifyInput>((v) => typeof v === 'object' && v !== null),
  /** The key of the robot's run whose result `report` reads (a fan-out child's is `<parent>/browser`). */
  browserKey: z.string().min(1).default('browser'),
});
export type VerifyEnvironmentInput = z.infer<typeof VerifyEnvironmentInput>;
