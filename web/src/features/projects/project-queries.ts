import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Project } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';

/** One project, with the caller's role in it. */
export function useProject(slug: string) {
  return useQuery({
    queryKey: keys.project(slug),
    queryFn: () => api.get<Project>(`/api/projects/${encodeURIComponent(slug)}`),
  });
}
