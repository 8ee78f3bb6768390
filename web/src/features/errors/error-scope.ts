import { seg } from '../../api/client.ts';

/** Whose errors a view shows: an environment of a project, or Orchard's own (admins). */
export type ErrorScope = { kind: 'environment'; slug: string; env: string } | { kind: 'instance' };

/** The API path of a scope's error groups. */
export function errorsApiPath(scope: ErrorScope): string {
  return scope.kind === 'instance'
    ? '/api/admin/errors'
    : `/api/projects/${seg(scope.slug)}/environments/${encodeURIComponent(scope.env)}/errors`;
}

/** Query keys: every view of a scope's errors shares the prefix, so one invalidation refreshes them. */
export function errorKeys(scope: ErrorScope) {
  const root =
    scope.kind === 'instance'
      ? (['admin', 'errors'] as const)
      : (['project', scope.slug, 'errors', scope.env] as const);
  return { all: root, group: (id: string) => [...root, 'group', id] as const };
}
