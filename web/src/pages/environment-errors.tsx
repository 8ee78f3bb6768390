import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { ErrorGroupList } from '../features/errors/error-group-list.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

/** An environment's errors: its app's exceptions grouped, last seen first. */
export function EnvironmentErrorsPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const env = params.env ?? '';
  return (
    <ProjectFrame slug={slug} tab="environments">
      {(project) => (
        <>
          <PageHeader
            title={`Errors in ${env}`}
            documentTitle={`Errors · ${env} · ${project.name}`}
            description="Exceptions the app reported (its traces and logs), grouped by where they were thrown. A resolved error that happens again reopens."
            actions={
              <Link to={to.environments(slug)} className="text-sm text-emerald-800 hover:underline">
                All environments
              </Link>
            }
          />
          <Card flush>
            <ErrorGroupList
              scope={{ kind: 'environment', slug, env }}
              hrefOf={(id) => to.environmentView(slug, env, 'errors', id)}
            />
          </Card>
        </>
      )}
    </ProjectFrame>
  );
}
