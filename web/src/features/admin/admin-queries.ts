import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AccountLinkResult,
  AdminToken,
  AdminUser,
  AuditEvent,
  AuditFilters,
  Invitation,
  InviteBody,
  Role,
  TokenState,
} from '../../api/admin-types.ts';
import { api, seg } from '../../api/client.ts';
import type { ApiToken } from '../../api/identity-types.ts';
import { keys } from '../../api/query-keys.ts';
import { usePaged } from '../../api/use-paged.ts';

export const useUsers = () => usePaged<AdminUser>(keys.users, '/api/users', {});

export const useAllTokens = (filters: { user?: string; state?: TokenState }) =>
  usePaged<AdminToken>(keys.allTokens, '/api/admin/tokens', filters);

export const useAuditLog = (filters: AuditFilters) =>
  usePaged<AuditEvent>(keys.audit, '/api/audit', filters as Record<string, string | undefined>);

/** Anything about users changed: their list, and the audit log that recorded it. */
function useUsersChanged() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.users }),
      client.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

export function useInvite() {
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: (body: InviteBody) => api.post<Invitation>('/api/admin/invitations', body),
    onSuccess: changed,
  });
}

export function useAccountLink() {
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: ({ user, purpose }: { user: AdminUser; purpose: 'invite' | 'reset' }) =>
      api.post<AccountLinkResult>(`/api/users/${seg(user.id)}/account-links`, { purpose }),
    onSuccess: changed,
  });
}

export function useUpdateUser() {
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: ({ user, patch }: { user: AdminUser; patch: { role?: Role; disabled?: boolean } }) =>
      api.patch(`/api/users/${seg(user.id)}`, patch),
    onSuccess: changed,
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<ApiToken>(`/api/tokens/${seg(id)}`),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.allTokens }),
        client.invalidateQueries({ queryKey: keys.tokens }),
        client.invalidateQueries({ queryKey: keys.audit }),
      ]),
  });
}
