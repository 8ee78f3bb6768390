import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { ApiToken, User } from '../../api/identity-types.ts';
import type { Page } from '../../api/page.ts';
import type {
  CreateServiceAccountBody,
  Delegation,
  IssuedServiceToken,
  IssueTokenBody,
  RevokedDelegations,
  ServiceAccount,
  ServiceAccountToken,
} from '../../api/principal-types.ts';
import { keys } from '../../api/query-keys.ts';
import { usePaged } from '../../api/use-paged.ts';

/** The delegations made on my behalf (`active`: only those still in force). */
export const useMyDelegations = (active: boolean) =>
  usePaged<Delegation>(keys.delegations, '/api/delegations', { active: active ? 'true' : undefined });

/** Everyone's delegations (instance admins), by person and project. */
export const useAdminDelegations = (filters: { user?: string; project?: string; active?: boolean }) =>
  usePaged<Delegation>(keys.adminDelegations, '/api/admin/delegations', {
    user: filters.user || undefined,
    project: filters.project || undefined,
    active: filters.active ? 'true' : undefined,
  });

/** Both lists of delegations show what a revocation changed. */
function useDelegationsChanged() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.delegations }),
      client.invalidateQueries({ queryKey: keys.adminDelegations }),
    ]);
}

export function useRevokeDelegation() {
  const changed = useDelegationsChanged();
  return useMutation({
    mutationFn: (id: string) => api.delete<Delegation>(`/api/delegations/${seg(id)}`),
    onSuccess: changed,
  });
}

/** Revokes every live delegation made on my behalf. */
export function useRevokeAllDelegations() {
  const changed = useDelegationsChanged();
  return useMutation({
    mutationFn: () => api.delete<RevokedDelegations>('/api/delegations'),
    onSuccess: changed,
  });
}

export const useServiceAccounts = () =>
  usePaged<ServiceAccount>(keys.serviceAccounts, '/api/admin/service-accounts', {});

export function useCreateServiceAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateServiceAccountBody) =>
      api.post<ServiceAccount>('/api/admin/service-accounts', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.serviceAccounts }),
  });
}

/** Disables or re-enables a service account (the ordinary user update); its tokens follow at once. */
export function useSetServiceAccountDisabled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) =>
      api.patch<User>(`/api/users/${seg(id)}`, { disabled }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.serviceAccounts }),
        client.invalidateQueries({ queryKey: keys.users }),
      ]),
  });
}

export const useServiceAccountTokens = (id: string) =>
  useQuery({
    queryKey: keys.serviceAccountTokens(id),
    queryFn: () => api.get<Page<ServiceAccountToken>>(`/api/admin/service-accounts/${seg(id)}/tokens`),
  });

/** A token for a service account: the answer holds its secret, shown once. */
export function useIssueServiceToken(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: IssueTokenBody) =>
      api.post<IssuedServiceToken>(`/api/admin/service-accounts/${seg(id)}/tokens`, body),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.serviceAccountTokens(id) }),
        client.invalidateQueries({ queryKey: keys.serviceAccounts }),
      ]),
  });
}

export function useRevokeServiceToken(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.delete<ApiToken>(`/api/tokens/${seg(tokenId)}`),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.serviceAccountTokens(id) }),
        client.invalidateQueries({ queryKey: keys.serviceAccounts }),
        client.invalidateQueries({ queryKey: keys.allTokens }),
      ]),
  });
}
