import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import type { Project, ProjectListItem, ProjectOverview } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';

/** While a build runs, overviews are asked again this often, so its end shows without a reload. */
export const BUILDING_REFRESH_MS = 5_000;

/** A build that has not ended yet. */
export const isBuilding = (overview: ProjectOverview | undefined) =>
  overview?.lastBuild?.status === 'queued' || overview?.lastBuild?.status === 'running';

/** One project, with the caller's role in it. */
export function useProject(slug: string) {
  return useQuery({
    queryKey: keys.project(slug),
    queryFn: () => api.get<Project>(`/api/projects/${encodeURIComponent(slug)}`),
  });
}

/** One project's status at a glance: last build, staging and production, open reviews. */
export function useProjectOverview(slug: string) {
  return useQuery({
    queryKey: keys.projectOverview(slug),
    queryFn: () => api.get<ProjectOverview>(`/api/projects/${seg(slug)}/overview`),
    refetchInterval: (query) => (isBuilding(query.state.data) ? BUILDING_REFRESH_MS : false),
  });
}

/** The projects with the most recent activity (builds, pipelines, deploys), with their overviews. */
export function useRecentProjects(limit: number) {
  return useQuery({
    queryKey: keys.recentProjects(limit),
    queryFn: () =>
      api.get<Page<ProjectListItem>>('/api/projects', { sort: 'activity', limit, archived: false }),
    refetchInterval: (query) =>
      query.state.data?.items.some((p) => isBuilding(p.overview)) ? BUILDING_REFRESH_MS : false,
  });
}
