import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { ProjectListItem } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import { Link } from '../app/router.tsx';
import { CreateProjectForm } from '../features/projects/create-project-form.tsx';
import { BUILDING_REFRESH_MS, isBuilding } from '../features/projects/project-queries.ts';
import { ProjectStatus, ProjectThumbnail } from '../features/projects/project-status.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Button } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { selectClass } from '../widgets/field.tsx';
import { formatDateTime, formatRelative } from '../widgets/format.ts';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

const PAGE_SIZE = 25;

export function ProjectsPage() {
  const [search, setSearch] = useState('');
  const [archived, setArchived] = useState(false);
  const q = useDeferredValue(search.trim());
  const searchId = useId();
  const projects = useInfiniteQuery({
    queryKey: [...keys.projects, { q, archived }],
    queryFn: ({ pageParam }) =>
      api.get<Page<ProjectListItem>>('/api/projects', { limit: PAGE_SIZE, cursor: pageParam, q, archived }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // A build in the list: ask again until it has ended, so its result shows without a reload.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((p) => isBuilding(p.overview)))
        ? BUILDING_REFRESH_MS
        : false,
  });
  const items = projects.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Projects"
        description="Each project is a git repository with its own pipelines, environments and secrets."
      />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <Card
          className="lg:col-span-2"
          flush
          title={archived ? 'Archived projects' : 'Your projects'}
          actions={
            <div className="flex items-center gap-2">
              <label htmlFor={searchId} className="sr-only">
                Search projects
              </label>
              <input
                id={searchId}
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search…"
                className={`${selectClass} h-8 w-44 py-1`}
              />
              <Button
                variant="secondary"
                size="sm"
                aria-pressed={archived}
                onClick={() => setArchived(!archived)}
              >
                {archived ? 'Show active' : 'Show archived'}
              </Button>
            </div>
          }
        >
          {projects.isPending ? (
            <Loading label="Loading projects…" className="px-5" />
          ) : projects.isError ? (
            <div className="p-5">
              <ErrorAlert error={projects.error} />
            </div>
          ) : items.length === 0 ? (
            <EmptyList searching={q !== ''} archived={archived} />
          ) : (
            <ul aria-label="Projects" className="divide-y divide-slate-100">
              {items.map((project) => (
                <ProjectRow key={project.id} project={project} />
              ))}
            </ul>
          )}
          <LoadMore pages={projects} />
        </Card>
        <Card title="New project" description="Start with a name; everything else can change later.">
          <CreateProjectForm />
        </Card>
      </div>
    </>
  );
}

function ProjectRow({ project }: { project: ProjectListItem }) {
  return (
    <li
      className="group relative flex items-start gap-3 px-4 py-4 hover:bg-slate-50 sm:gap-4 sm:px-5"
      data-project={project.slug}
    >
      <ProjectThumbnail
        url={project.overview.thumbnailUrl}
        name={project.name}
        className="w-20 shrink-0 sm:w-36"
      />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Link
            to={`/projects/${encodeURIComponent(project.slug)}`}
            className="min-w-0 font-semibold break-words text-slate-900 after:absolute after:inset-0 focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            {project.name}
          </Link>
          <code className="min-w-0 text-xs break-all text-slate-500">{project.slug}</code>
          {project.archived && <Badge tone="amber">archived</Badge>}
          <Badge>{project.role}</Badge>
        </div>
        {project.description && (
          <p className="mt-1 line-clamp-2 text-sm break-words text-slate-600">{project.description}</p>
        )}
        <ProjectStatus slug={project.slug} overview={project.overview} className="mt-2" />
        <time
          dateTime={project.updatedAt}
          title={formatDateTime(project.updatedAt)}
          className="mt-1.5 block text-xs text-slate-400"
        >
          Updated {formatRelative(project.updatedAt)}
        </time>
      </div>
    </li>
  );
}

function EmptyList({ searching, archived }: { searching: boolean; archived: boolean }) {
  const text = searching
    ? 'No project matches this search.'
    : archived
      ? 'No archived projects.'
      : 'No projects yet. Create the first one with the form beside this list.';
  return <p className="px-5 py-10 text-center text-sm text-slate-500">{text}</p>;
}
