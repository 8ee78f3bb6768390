import { z } from 'zod';

export const SecretName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]{0,127}$/,
    'use UPPER_SNAKE_CASE: capital letters, digits and "_", not starting with a digit',
  );

export const PutSecretBody = z.object({
  value: z
    .string()
    .min(1, 'must not be empty')
    .max(64 * 1024),
  /** Default: true for a new secret; a replaced one keeps its flag. */
  protected: z.boolean().optional(),
});
export const PatchSecretBody = z.object({ protected: z.boolean() });
export const SecretParams = z.object({ slug: z.string().min(1).max(100), name: SecretName });

export const SecretView = z.object({
  name: z.string(),
  version: z.number(),
  /** Given only to pipelines of protected branches and runs a maintainer started; see docs/git-and-pipelines.md. */
  protected: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SecretView = z.infer<typeof SecretView>;
