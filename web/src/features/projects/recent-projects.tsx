import { useId } from 'react';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { to } from './project-paths.ts';
import { useRecentProjects } from './project-queries.ts';
import { ProjectStatus, ProjectThumbnail } from './project-status.tsx';

const RECENT = 6;

/** The start page's shortcut back to work: the most recently active projects, each at a glance. */
export function RecentProjects() {
  const headingId = useId();
  const recent = useRecentProjects(RECENT);
  // Nothing to come back to yet (or still loading): the page is the prompt alone.
  if (recent.isPending || (recent.isSuccess && recent.data.items.length === 0)) return null;
  return (
    <section aria-labelledby={headingId} className="mx-auto mt-10 max-w-5xl">
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          Recent projects
        </h2>
        <Link to="/projects" className="text-sm font-medium text-emerald-700 hover:underline">
          All projects
        </Link>
      </div>
      {recent.isError ? (
        <ErrorAlert error={recent.error} />
      ) : (
        <ul aria-labelledby={headingId} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {recent.data.items.map((project) => (
            <li
              key={project.id}
              data-project={project.slug}
              className="relative flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-xs hover:border-slate-300"
            >
              <ProjectThumbnail url={project.overview.thumbnailUrl} name={project.name} />
              <Link
                to={to.project(project.slug)}
                className="truncate font-semibold text-slate-900 after:absolute after:inset-0 after:rounded-lg focus-visible:outline-2 focus-visible:outline-emerald-600"
              >
                {project.name}
              </Link>
              <ProjectStatus slug={project.slug} overview={project.overview} compact />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
