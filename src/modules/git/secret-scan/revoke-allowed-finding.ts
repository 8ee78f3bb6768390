import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { AGENTS_CANNOT_ALLOW } from './allow-finding.ts';
import { deleteAllowedFinding } from './allowed-store.ts';

/** Takes an allowance back (owners and instance admins; audited): pushes holding the finding are refused again. */
export async function revokeAllowedFinding(db: Db, ctx: RequestContext, slug: string, fingerprint: string) {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ALLOW);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'owner');
  await withTransaction(db, async (tx) => {
    const row = await deleteAllowedFinding(tx, project.id, fingerprint);
    if (!row) throw new NotFoundError(`Finding ${fingerprint} is not allowed in project "${slug}".`);
    await recordAudit(tx, ctx, {
      action: 'secret_scan.revoke',
      target: { type: 'secret_scan_finding', id: fingerprint },
      projectId: project.id,
      data: { fingerprint, reason: row.reason },
    });
  });
}
