import type { EnvironmentRow } from './environment-store.ts';
import type { ReleaseRow } from './releases/release-store.ts';
import type { EnvironmentView, ReleaseView } from './schemas.ts';
import type { AppUrls } from './serve/urls.ts';

export function toReleaseView(r: ReleaseRow): ReleaseView {
  return {
    id: r.id,
    sha: r.sha,
    shortSha: r.sha.slice(0, 7),
    branch: r.branch,
    status: r.status,
    verified: r.verified,
    verificationOperationId: r.verification_operation_id,
    verifiedAt: r.verified_at?.toISOString() ?? null,
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

export function toEnvironmentView(
  e: EnvironmentRow,
  release: ReleaseRow | undefined,
  urls: AppUrls,
  rollbackTo?: ReleaseRow,
): EnvironmentView {
  const live = e.status === 'running' || e.status === 'deploying';
  return {
    name: e.name,
    kind: e.kind,
    branch: e.branch,
    url: urls.app(e.host_label),
    directUrl: live ? urls.direct(e.port) : null,
    port: live ? e.port : null,
    status: e.status,
    desiredState: e.desired_state,
    release: release ? toReleaseView(release) : null,
    rollbackTo: rollbackTo ? { id: rollbackTo.id, shortSha: rollbackTo.sha.slice(0, 7) } : null,
    pinned: e.pinned,
    access: e.access,
    expiresAt: e.expires_at?.toISOString() ?? null,
    lastError: e.last_error,
    deployedAt: e.deployed_at?.toISOString() ?? null,
    hostLabel: e.host_label,
  };
}
