import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';

/** Marks one notification read (opening it does), or all of them. */
export function useMarkRead() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.notifications });
  const one = useMutation({
    mutationFn: (id: string) => api.post(`/api/me/notifications/${seg(id)}/read`),
    onSuccess: refresh,
  });
  const all = useMutation({
    mutationFn: () => api.post('/api/me/notifications/read-all'),
    onSuccess: refresh,
  });
  return { one, all };
}
