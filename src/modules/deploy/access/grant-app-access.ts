import type { RequestContext } from '../../../platform/context.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { findProjectById, requireProjectRole } from '../../projects/index.ts';
import type { DeployDeps } from '../deps.ts';
import { labelFromHost } from '../serve/host-label.ts';
import { findAccessByLabel, insertAccessGrant } from './access-store.ts';
import { APP_ACCESS_PARAM, EXCHANGE_TTL_MS, hashAccessToken, newAccessToken } from './access-tokens.ts';

/**
 * Where a browser sent here by a private environment goes next (`GET /api/app-access?to=<url>`):
 * to sign in first, or back to the page with a one-time token its host exchanges for a cookie,
 * once the caller may read the environment's project.
 */
export async function grantAppAccess(
  deps: Pick<DeployDeps, 'db' | 'config' | 'clock'>,
  ctx: RequestContext,
  to: string,
): Promise<{ location: string }> {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new ValidationError('to must be the full address of an environment’s page.', [
      { field: 'to', message: 'is not a URL' },
    ]);
  }
  const label = /^https?:$/.test(url.protocol)
    ? labelFromHost(url.host, deps.config.deploy.domain)
    : undefined;
  if (!label)
    throw new ValidationError(`${url.host} is not an Orchard environment's address.`, [
      { field: 'to', message: 'is not an environment of this Orchard' },
    ]);
  const env = await findAccessByLabel(deps.db, label);
  if (!env) throw new NotFoundError(`Nothing is deployed at ${url.host}.`);
  url.searchParams.delete(APP_ACCESS_PARAM);
  if (env.access === 'public') return { location: url.href };
  const project = await findProjectById(deps.db, env.projectId);
  if (!project) throw new NotFoundError(`Nothing is deployed at ${url.host}.`);
  await requireProjectRole(deps.db, ctx.actor, project.slug, 'viewer');
  const token = newAccessToken('oax');
  await insertAccessGrant(deps.db, {
    tokenHash: hashAccessToken(token),
    environmentId: env.environmentId,
    kind: 'exchange',
    userId: ctx.actor.userId,
    shareLinkId: null,
    expiresAt: new Date(deps.clock.now().getTime() + EXCHANGE_TTL_MS),
  });
  url.searchParams.set(APP_ACCESS_PARAM, token);
  return { location: url.href };
}
