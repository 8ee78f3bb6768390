import { z } from 'zod';
import { Role, Username } from '../schemas.ts';

export const CreateServiceAccountBody = z.object({
  username: Username,
  /** What the account is for ("CI deploys", "nightly backup"). */
  description: z.string().trim().max(500).default(''),
  /** Its instance role: `member` (default) works in the projects it is added to; `admin` runs the instance. */
  role: Role.default('member'),
});
export type CreateServiceAccountBody = z.infer<typeof CreateServiceAccountBody>;

export const ServiceAccountView = z.object({
  id: z.string(),
  username: z.string(),
  description: z.string(),
  role: Role,
  kind: z.literal('service'),
  disabled: z.boolean(),
  createdAt: z.string(),
  tokens: z.object({
    /** Neither revoked nor expired. */
    active: z.number().int(),
    /** Every token it was ever given. */
    total: z.number().int(),
  }),
  /** The last time any of its tokens was used (minute resolution); null: never. */
  lastUsedAt: z.string().nullable(),
});
export type ServiceAccountView = z.infer<typeof ServiceAccountView>;
