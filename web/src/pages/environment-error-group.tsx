import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { ErrorGroupDetailView } from '../features/errors/error-group-detail.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { PageHeader } from '../widgets/page-header.tsx';

/** One error group of an environment: its stack, occurrences and status. */
export function EnvironmentErrorGroupPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const env = params.env ?? '';
  const id = params.id ?? '';
  return (
    <ProjectFrame slug={slug} tab="environments">
      {(project) => (
        <>
          <PageHeader
            title="Error"
            documentTitle={`Error · ${env} · ${project.name}`}
            meta={
              <Link to={to.environmentView(slug, env, 'errors')} className="text-emerald-800 hover:underline">
                ← Errors in {env}
              </Link>
            }
          />
          <ErrorGroupDetailView
            scope={{ kind: 'environment', slug, env }}
            id={id}
            canChange={roleAtLeast(project.role, 'developer')}
          />
        </>
      )}
    </ProjectFrame>
  );
}
