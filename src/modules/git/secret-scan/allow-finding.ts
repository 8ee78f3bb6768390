import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { toAllowedFindingViews } from './allowed-finding-view.ts';
import { insertAllowedFinding } from './allowed-store.ts';
import type { AllowedFindingView, AllowFindingBody } from './schemas.ts';

/** What may be pushed past the scan is for people to decide: an agent cannot wave its own secret through. */
export const AGENTS_CANNOT_ALLOW =
  'Agent tokens cannot allow secret-scanning findings: a project owner decides what may be pushed past the scan';

/**
 * Lets pushes through that hold this finding (project owners and instance admins; audited). The
 * fingerprint covers one secret at one path, so the same key elsewhere is still refused.
 */
export async function allowFinding(
  db: Db,
  ctx: RequestContext,
  slug: string,
  body: AllowFindingBody,
): Promise<AllowedFindingView> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ALLOW);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'owner');
  return withTransaction(db, async (tx) => {
    const row = await insertAllowedFinding(tx, {
      projectId: project.id,
      fingerprint: body.fingerprint,
      reason: body.reason,
      allowedBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    if (!row)
      throw new ConflictError(
        `Finding ${body.fingerprint} is already allowed in project "${slug}"; to change its reason, revoke it and allow it again.`,
      );
    await recordAudit(tx, ctx, {
      action: 'secret_scan.allow',
      target: { type: 'secret_scan_finding', id: body.fingerprint },
      projectId: project.id,
      data: { fingerprint: body.fingerprint, reason: body.reason },
    });
    const [view] = await toAllowedFindingViews(tx, [row]);
    return view!;
  });
}
