import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { TelemetryView } from '../features/telemetry/telemetry-view.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

/** An environment's logs, traces and metrics (what its app sends over OTLP, and Orchard's own spans). */
export function EnvironmentTelemetryPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const env = params.env ?? '';
  return (
    <ProjectFrame slug={slug} tab="environments">
      {(project) => (
        <>
          <PageHeader
            title={`Telemetry · ${env}`}
            documentTitle={`Telemetry · ${env} · ${project.name}`}
            description={
              <>
                Logs, traces and metrics the app in {env} exports, with Orchard's own deploy and verify spans.{' '}
                <Link to={to.environments(slug)} className="text-emerald-700 hover:underline">
                  All environments
                </Link>
              </>
            }
          />
          <TelemetryView slug={slug} env={env} />
        </>
      )}
    </ProjectFrame>
  );
}
