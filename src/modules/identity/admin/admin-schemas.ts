import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { TokenView, UserKind } from '../schemas.ts';

export const TokenState = z.enum(['active', 'revoked', 'expired']);
export type TokenState = z.infer<typeof TokenState>;

export const AdminTokensQuery = PageQuery.extend({
  /** A username: the tokens it holds, and those delegated by it to agents. */
  user: z.string().trim().min(1).max(100).optional(),
  /** `active`: neither revoked nor expired. Absent: every token. */
  state: TokenState.optional(),
});
export type AdminTokensQuery = z.infer<typeof AdminTokensQuery>;

/** A token of anyone, for the admins' list: never its secret (only its first characters). */
export const AdminTokenView = TokenView.extend({
  owner: z.object({ id: z.string(), username: z.string(), kind: UserKind }),
  /** An agent's token: the person who delegated it, and where. */
  delegation: z
    .object({
      byUserId: z.string().nullable(),
      byUsername: z.string().nullable(),
      projectId: z.string().nullable(),
      agentSessionId: z.string().nullable(),
    })
    .nullable(),
  state: TokenState,
});
export type AdminTokenView = z.infer<typeof AdminTokenView>;

/** Where a kind of LLM spend is limited, with the limits that apply when nothing is set. */
export const BudgetDefaults = z.object({
  scope: z.string(),
  /** Where to change it (there is no instance-wide setting). */
  configuredIn: z.string(),
  defaults: z.record(z.string(), z.number().nullable()),
});
export type BudgetDefaults = z.infer<typeof BudgetDefaults>;

/** What an admin may know of the instance's set-up: no secrets, nothing read from the environment. */
export const InstanceSummaryView = z.object({
  version: z.string(),
  database: z.enum(['embedded', 'external']),
  publicUrl: z.string().nullable(),
  secureCookies: z.boolean(),
  sessionTtlHours: z.number(),
  deploy: z.object({ privateByDefault: z.boolean(), domain: z.string() }),
  workersEnabled: z.boolean(),
  /** OpenID Connect issuers people may sign in with (config `auth.oidc.providers`; names only counted). */
  oidcProviders: z.number().int(),
  budgets: z.array(BudgetDefaults),
});
export type InstanceSummaryView = z.infer<typeof InstanceSummaryView>;
