import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { flushSync } from 'react-dom';
import { ApiError, api, hasSessionCookie, request, signOut } from '../api/client.ts';
import type { Me, SetupStatus, User } from '../api/identity-types.ts';
import { keys } from '../api/query-keys.ts';
import { navigate } from './router.tsx';

const setupKey = keys.setup;
const meKey = keys.me;

/** First run: until an admin exists, the only page is "create the admin". */
export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: () => api.get<SetupStatus>('/api/setup'),
    staleTime: Infinity,
  });
}

/** The signed-in user, or null. Without a session cookie we know the answer without asking. */
export function useMe(enabled = true) {
  return useQuery({
    queryKey: meKey,
    enabled,
    staleTime: 60_000,
    queryFn: async (): Promise<Me | null> => {
      if (!hasSessionCookie()) return null;
      try {
        return await api.get<Me>('/api/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

/** Provided by the app gate around every signed-in page. */
export const MeContext = createContext<Me | null>(null);

/** The signed-in user inside the app shell, where the gate guarantees one. */
export function useUser(): User {
  const me = useContext(MeContext);
  if (!me) throw new Error('useUser() outside a signed-in page');
  return me.user;
}

/** After login or setup the cookies are set: reload who we are; the app gate then moves on. */
export async function sessionStarted(client: QueryClient) {
  client.setQueryData<SetupStatus>(setupKey, { needsAdmin: false });
  await client.refetchQueries({ queryKey: meKey });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    // Nothing else is asked meanwhile: a query answered after the session ended would be a 401.
    mutationFn: () =>
      signOut(() => request<void>('/api/auth/logout', { method: 'POST', duringSignOut: true })),
    onSettled: () => {
      // The signed-in pages go first, in one synchronous render: a page still mounted would ask
      // again for a query dropped below (a re-render re-creates it), and get a 401.
      flushSync(() => {
        client.setQueryData(meKey, null);
        navigate('/login');
      });
      // Then drop everything the previous user could see; keep the (public) setup answer.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== setupKey[0] && q.queryKey[0] !== meKey[0] });
    },
  });
}
