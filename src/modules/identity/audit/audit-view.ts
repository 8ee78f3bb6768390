import { z } from 'zod';

/** One audit entry as the API shows it (`toAuditEvent`). */
export const AuditEventView = z.object({
  id: z.number(),
  /** `onBehalfOf`: the person an agent acted for with a delegated token (null for everyone else). */
  actor: z.object({
    id: z.string().nullable(),
    name: z.string().nullable(),
    onBehalfOf: z
      .object({
        userId: z.string(),
        username: z.string(),
        agentSessionId: z.string().nullable(),
        tokenId: z.string().nullable(),
      })
      .nullable(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  projectId: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  /** Non-secret details of the change. */
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export const AuditPage = z.object({ items: z.array(AuditEventView), nextCursor: z.string().nullable() });
