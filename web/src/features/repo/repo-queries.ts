import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { Comparison } from '../../api/repo-types.ts';

/** What `head` adds to `base` (commits and diff); idle until both are set and differ. */
export function useComparison(slug: string, base: string, head: string, enabled = true) {
  return useQuery({
    queryKey: keys.compare(slug, base, head),
    queryFn: () => api.get<Comparison>(`/api/projects/${seg(slug)}/compare/${seg(base)}...${seg(head)}`),
    enabled: enabled && base !== '' && head !== '' && base !== head,
  });
}
