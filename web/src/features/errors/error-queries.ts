import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { ErrorGroup, ErrorGroupDetail, ErrorStatus } from '../../api/error-types.ts';
import { usePaged } from '../../api/use-paged.ts';
import { type ErrorScope, errorKeys, errorsApiPath } from './error-scope.ts';

/** A scope's error groups, last seen first; `status` filters (absent: all). */
export const useErrorGroups = (scope: ErrorScope, status: ErrorStatus | undefined) =>
  usePaged<ErrorGroup>(errorKeys(scope).all, errorsApiPath(scope), { status });

export const useErrorGroup = (scope: ErrorScope, id: string) =>
  useQuery({
    queryKey: errorKeys(scope).group(id),
    queryFn: () => api.get<ErrorGroupDetail>(`${errorsApiPath(scope)}/${seg(id)}`),
  });

/** Resolves, ignores or reopens a group. */
export function useSetErrorStatus(scope: ErrorScope, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (status: ErrorStatus) =>
      api.post<ErrorGroup>(`${errorsApiPath(scope)}/${seg(id)}/status`, { status }),
    onSettled: () => client.invalidateQueries({ queryKey: errorKeys(scope).all }),
  });
}
