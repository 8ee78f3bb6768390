import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { deleteProviderRow } from './provider-store.ts';
import type { ProviderRegistry } from './registry.ts';
import { requireInstanceAdmin } from './require-admin.ts';
import { rejectConfigProvider } from './update-provider.ts';

/** Removes an API provider; aliases naming it skip it from then on. */
export async function deleteProvider(db: Db, registry: ProviderRegistry, ctx: RequestContext, name: string) {
  requireInstanceAdmin(ctx);
  rejectConfigProvider(registry, name);
  await withTransaction(db, async (tx) => {
    if (!(await deleteProviderRow(tx, name))) throw new NotFoundError(`No LLM provider "${name}".`);
    await recordAudit(tx, ctx, {
      action: 'llm.provider.delete',
      target: { type: 'llm_provider' },
      data: { name },
    });
  });
  registry.invalidate();
}
