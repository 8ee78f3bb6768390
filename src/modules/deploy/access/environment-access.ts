/** Who may see an environment: its access mode and its share links (use cases the routes share). */
import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { requireEnvRole } from '../access.ts';
import type { DeployDeps } from '../deps.ts';
import { parseEnvName } from '../env-name.ts';
import { findEnvironmentByParam } from '../find-environment.ts';
import type { AppUrls } from '../serve/urls.ts';
import {
  type EnvironmentAccess,
  insertShareLink,
  listShareLinks,
  revokeShareLink,
  type ShareLinkRow,
  setEnvironmentAccess,
} from './access-store.ts';
import { APP_ACCESS_PARAM, hashAccessToken, newAccessToken } from './access-tokens.ts';

type Deps = Pick<DeployDeps, 'db' | 'clock'>;
type EnvRef = { slug: string; env: string };

async function environmentFor(
  deps: Deps,
  ctx: RequestContext,
  ref: EnvRef,
  role: 'developer' | 'maintainer',
) {
  const { project } =
    role === 'maintainer'
      ? await requireProjectRole(deps.db, ctx.actor, ref.slug, 'maintainer')
      : await requireEnvRole(deps.db, ctx.actor, ref.slug, parseEnvName(ref.env));
  return { project, env: await findEnvironmentByParam(deps.db, project.id, ref.env) };
}

/** Makes an environment private (members and share links) or public (anyone); maintainers. */
export async function setAccessMode(deps: Deps, ctx: RequestContext, ref: EnvRef, access: EnvironmentAccess) {
  const { project, env } = await environmentFor(deps, ctx, ref, 'maintainer');
  await withTransaction(deps.db, async (tx) => {
    await setEnvironmentAccess(tx, env.id, access);
    await recordAudit(tx, ctx, {
      action: 'environment.access',
      target: { type: 'environment', id: env.id },
      projectId: project.id,
      data: { environment: env.name, access },
    });
  });
  return { ...env, access };
}

export interface ShareLinkView {
  id: string;
  note: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
}

const view = (row: ShareLinkRow, now: Date): ShareLinkView => ({
  id: row.id,
  note: row.note,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
  active: !row.revoked_at && row.expires_at > now,
});

/** A link that lets anyone see a private environment until it expires; its URL is shown once. */
export async function createShareLink(
  deps: Deps & { urls: AppUrls },
  ctx: RequestContext,
  ref: EnvRef,
  input: { expiresInHours: number; note: string },
): Promise<ShareLinkView & { url: string }> {
  const { project, env } = await environmentFor(deps, ctx, ref, 'developer');
  const token = newAccessToken('oas');
  const now = deps.clock.now();
  const row = await withTransaction(deps.db, async (tx) => {
    const link = await insertShareLink(tx, {
      environmentId: env.id,
      tokenHash: hashAccessToken(token),
      note: input.note,
      createdBy: ctx.actor.userId,
      expiresAt: new Date(now.getTime() + input.expiresInHours * 3_600_000),
    });
    await recordAudit(tx, ctx, {
      action: 'environment.share_link.create',
      target: { type: 'environment', id: env.id },
      projectId: project.id,
      data: { environment: env.name, link: link.id, expiresAt: link.expires_at.toISOString() },
    });
    return link;
  });
  const url = new URL(deps.urls.app(env.host_label));
  url.searchParams.set(APP_ACCESS_PARAM, token);
  return { ...view(row, now), url: url.href };
}

export async function listEnvironmentShareLinks(deps: Deps, ctx: RequestContext, ref: EnvRef) {
  const { env } = await environmentFor(deps, ctx, ref, 'developer');
  const now = deps.clock.now();
  return { items: (await listShareLinks(deps.db, env.id)).map((r) => view(r, now)) };
}

/** Ends a link at once, and every browser's access that came through it. */
export async function revokeEnvironmentShareLink(deps: Deps, ctx: RequestContext, ref: EnvRef, id: string) {
  const { project, env } = await environmentFor(deps, ctx, ref, 'developer');
  await withTransaction(deps.db, async (tx) => {
    if (!(await revokeShareLink(tx, env.id, id)))
      throw new NotFoundError(`No active share link ${id} on ${env.name}; GET …/share-links lists them.`);
    await recordAudit(tx, ctx, {
      action: 'environment.share_link.revoke',
      target: { type: 'environment', id: env.id },
      projectId: project.id,
      data: { environment: env.name, link: id },
    });
  });
}
