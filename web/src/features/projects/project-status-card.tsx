import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { to } from './project-paths.ts';
import { useProjectOverview } from './project-queries.ts';
import { ProjectStatus, ProjectThumbnail } from './project-status.tsx';

/** On the project page: what the Projects list shows of it, larger, with links to the details. */
export function ProjectStatusCard({ slug, name }: { slug: string; name: string }) {
  const overview = useProjectOverview(slug);
  return (
    <Card
      title="Status"
      actions={
        <Link to={to.environments(slug)} className="text-sm font-medium text-emerald-700 hover:underline">
          Environments
        </Link>
      }
    >
      {overview.isPending ? (
        <Loading label="Loading status…" />
      ) : overview.isError ? (
        <ErrorAlert error={overview.error} />
      ) : (
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <ProjectThumbnail
            url={overview.data.thumbnailUrl}
            name={name}
            className="w-full shrink-0 sm:w-56"
          />
          <div className="min-w-0 flex-1 space-y-3">
            <ProjectStatus slug={slug} overview={overview.data} large />
            {overview.data.lastBuild && (
              <Link
                to={to.operation(overview.data.lastBuild.operationId)}
                className="inline-block text-xs font-medium text-emerald-700 hover:underline"
              >
                Last build's details
              </Link>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
