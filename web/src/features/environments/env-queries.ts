import { useMutation, useMutationState, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type {
  CreatedShareLink,
  DeployAccepted,
  Environment,
  PublishResult,
  Release,
} from '../../api/env-types.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';

/** `preview/x` travels as one path segment: `preview%2Fx`. */
export const envPath = (slug: string, env: string) =>
  `/api/projects/${seg(slug)}/environments/${encodeURIComponent(env)}`;

export function useEnvironments(slug: string, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: keys.environments(slug),
    queryFn: () => api.get<Page<Environment>>(`/api/projects/${seg(slug)}/environments`),
    // While an app starts or deploys its status changes without an event we listen to.
    refetchInterval: (query) =>
      query.state.data?.items.some((e) => e.status === 'starting' || e.status === 'deploying')
        ? 2_000
        : (options.refetchInterval ?? false),
  });
}

export function useReleases(slug: string) {
  return useQuery({
    queryKey: keys.releases(slug),
    queryFn: () => api.get<Page<Release>>(`/api/projects/${seg(slug)}/releases`),
  });
}

function useInvalidateDeploy(slug: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.environments(slug) }),
      client.invalidateQueries({ queryKey: keys.releases(slug) }),
    ]);
}

/** Promotes a verified release (default: staging's) to production. */
/** Publishes and rollbacks of a project share a key: the page shows the newest one's outcome only. */
const deployActionKey = (slug: string, kind: 'publish' | 'rollback') =>
  ['deploy-action', slug, kind] as const;

export function usePublish(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationKey: deployActionKey(slug, 'publish'),
    mutationFn: (release?: string) =>
      api.post<PublishResult>(`/api/projects/${seg(slug)}/publish`, release ? { release } : {}),
    onSettled: invalidate,
  });
}

/** Re-routes an environment to a kept release (default: the one it ran before). */
export function useRollback(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationKey: deployActionKey(slug, 'rollback'),
    mutationFn: ({ env, release }: { env: string; release?: string }) =>
      api.post<PublishResult>(`${envPath(slug, env)}/rollback`, release ? { release } : {}),
    onSettled: invalidate,
  });
}

export function usePin(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationFn: ({ env, pinned }: { env: string; pinned: boolean }) =>
      api.post<Environment>(`${envPath(slug, env)}/pin`, { pinned }),
    onSettled: invalidate,
  });
}

/** Private (members and share links) or public (anyone): maintainers. */
export function useSetAccess(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationFn: ({ env, access }: { env: string; access: 'private' | 'public' }) =>
      api.put<Environment>(`${envPath(slug, env)}/access`, { access }),
    onSettled: invalidate,
  });
}

/** A link that lets anyone see a private environment for a day; its address is shown once. */
export function useCreateShareLink(slug: string) {
  return useMutation({
    mutationFn: ({ env }: { env: string }) =>
      api.post<CreatedShareLink>(`${envPath(slug, env)}/share-links`, { expiresInHours: 24 }),
  });
}

export function useRemoveEnvironment(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationFn: (env: string) => api.delete(envPath(slug, env)),
    onSettled: invalidate,
  });
}

export function useDeploy(slug: string) {
  const invalidate = useInvalidateDeploy(slug);
  return useMutation({
    mutationFn: (body: { env: string; ref?: string }) =>
      api.post<DeployAccepted>(`/api/projects/${seg(slug)}/deploy`, body),
    onSettled: invalidate,
  });
}

/**
 * The newest publish or rollback of the project on this page, whichever component made it: a
 * banner of a past action gives way when a newer one happens.
 */
export function useLatestDeployAction(slug: string) {
  const actions = useMutationState({
    filters: { mutationKey: ['deploy-action', slug] },
    select: (m) => ({
      kind: m.options.mutationKey?.[2] as 'publish' | 'rollback',
      status: m.state.status,
      data: m.state.data as PublishResult | undefined,
      at: m.state.submittedAt,
    }),
  });
  return actions.reduce<(typeof actions)[number] | undefined>(
    (latest, a) => (!latest || a.at >= latest.at ? a : latest),
    undefined,
  );
}
