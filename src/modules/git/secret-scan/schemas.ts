import { z } from 'zod';
import { FINGERPRINT } from './secret-rules.ts';

export const Fingerprint = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    FINGERPRINT,
    'must be a finding\'s fingerprint: the 64 hexadecimal characters a refused push printed after "fingerprint"',
  );

export const SecretScanParams = z.object({ slug: z.string().min(1).max(100) });
export const AllowedFindingParams = SecretScanParams.extend({ fingerprint: Fingerprint });

export const AllowFindingBody = z.object({
  fingerprint: Fingerprint,
  /** Why this is not a secret (a test fixture, a documented example): shown in the list and the audit log. */
  reason: z.string().trim().min(1, 'must say why this finding is not a secret').max(1000),
});
export type AllowFindingBody = z.infer<typeof AllowFindingBody>;

export const AllowedFindingView = z.object({
  fingerprint: z.string(),
  reason: z.string(),
  allowedBy: z.string().nullable(),
  allowedAt: z.string(),
});
export type AllowedFindingView = z.infer<typeof AllowedFindingView>;

export const AllowedFindingList = z.object({ items: z.array(AllowedFindingView), nextCursor: z.null() });
