import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { deleteLlmSecret as deleteRow } from './provider-store.ts';
import { requireInstanceAdmin } from './require-admin.ts';

export async function deleteLlmSecret(db: Db, ctx: RequestContext, name: string) {
  requireInstanceAdmin(ctx);
  await withTransaction(db, async (tx) => {
    if (!(await deleteRow(tx, name))) throw new NotFoundError(`No LLM secret ${name}.`);
    await recordAudit(tx, ctx, {
      action: 'llm.secret.delete',
      target: { type: 'llm_secret', id: name },
      data: { name },
    });
  });
}
