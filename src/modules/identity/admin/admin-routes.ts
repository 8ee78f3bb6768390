import { z } from 'zod';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import {
  AdminTokensQuery,
  AdminTokenView,
  type BudgetDefaults,
  InstanceSummaryView,
} from './admin-schemas.ts';
import { instanceSummary } from './instance-summary.ts';
import { listAllTokens } from './list-all-tokens.ts';

const tags = ['identity'];

/**
 * The admin panel's reads: every token on the instance (revoked with `DELETE /api/tokens/:id`,
 * which lets admins revoke anyone's) and the instance's set-up. `budgets`: the LLM budgets that
 * apply when nothing else is set, given by the modules that own them.
 */
export function adminRoutes(res: Resources, options: { budgets?: BudgetDefaults[] } = {}) {
  const { db, clock, config } = res;
  return async (app: HttpApp) => {
    app.get(
      '/api/admin/tokens',
      {
        config: { adminOnly: true },
        schema: {
          tags,
          querystring: AdminTokensQuery,
          response: { 200: z.object({ items: z.array(AdminTokenView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listAllTokens(db, clock, request.query),
    );

    app.get(
      '/api/admin/instance',
      { config: { adminOnly: true }, schema: { tags, response: { 200: InstanceSummaryView } } },
      async () => instanceSummary(config, options.budgets ?? []),
    );
  };
}
