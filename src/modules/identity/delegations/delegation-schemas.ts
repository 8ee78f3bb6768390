import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { ScopeName } from '../schemas.ts';

const ProjectSlug = z.string().trim().toLowerCase().min(1).max(100).describe("A project's slug");
const AgentSessionId = z.uuid('must be an agent session id (uuid)');
const Active = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true')
  .describe('true: only delegations still in force (neither revoked nor expired)');

/** `GET /api/delegations`: the caller's own, newest first. */
export const DelegationsQuery = PageQuery.extend({
  project: ProjectSlug.optional(),
  agentSessionId: AgentSessionId.optional(),
  active: Active,
});
export type DelegationsQuery = z.infer<typeof DelegationsQuery>;

/** `GET /api/admin/delegations`: everyone's, optionally of one person. */
export const AdminDelegationsQuery = DelegationsQuery.extend({
  user: z.string().trim().toLowerCase().min(1).max(39).optional().describe('The delegating user’s name'),
});
export type AdminDelegationsQuery = z.infer<typeof AdminDelegationsQuery>;

/** `DELETE /api/delegations`: the caller's live delegations, all or those of one project or session. */
export const RevokeDelegationsQuery = z.object({
  project: ProjectSlug.optional(),
  agentSessionId: AgentSessionId.optional(),
});
export type RevokeDelegationsQuery = z.infer<typeof RevokeDelegationsQuery>;

export const DelegationStatus = z.enum(['active', 'expired', 'revoked']);

/** A delegation: an agent principal acting for a person in one project, with a token of its own. */
export const DelegationView = z.object({
  /** The delegated token's id. */
  id: z.string(),
  agent: z.object({ id: z.string(), username: z.string() }),
  delegatedBy: z.object({ id: z.string(), username: z.string() }),
  /** `slug` is null when the project is gone. */
  project: z.object({ id: z.string(), slug: z.string().nullable() }),
  /** The branch glob the agent may push to (e.g. `orchard/*`). */
  pushBranches: z.string(),
  agentSessionId: z.string().nullable(),
  scopes: z.array(ScopeName),
  status: DelegationStatus,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type DelegationView = z.infer<typeof DelegationView>;

export const DelegationPage = z.object({ items: z.array(DelegationView), nextCursor: z.string().nullable() });

export const RevokedDelegations = z.object({
  /** How many delegations this request revoked (those already revoked or expired are not counted). */
  revoked: z.number().int(),
  items: z.array(DelegationView),
});
