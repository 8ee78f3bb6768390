import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { DeployStagingCard } from '../features/environments/env-deploy.tsx';
import { EnvironmentList } from '../features/environments/env-list.tsx';
import { EnvironmentLogPanel } from '../features/environments/env-log-panel.tsx';
import { useEnvironments, useReleases } from '../features/environments/env-queries.ts';
import { LatestDeployAction, ReleaseHistory } from '../features/environments/env-releases.tsx';
import { useOperationArtifacts } from '../features/environments/env-verification.ts';
import { useProjectActivity } from '../features/operations/live-activity.ts';
import { ArtifactGallery, isVerificationArtifact } from '../features/operations/live-artifacts.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** Staging, production and previews of a project: status, URLs, releases, logs and verification. */
export function EnvironmentsPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  return (
    <ProjectFrame slug={slug} tab="environments">
      {(project) => <Environments project={project} />}
    </ProjectFrame>
  );
}

function Environments({ project }: { project: Project }) {
  const slug = project.slug;
  const client = useQueryClient();
  const envs = useEnvironments(slug, { refetchInterval: 15_000 });
  const releases = useReleases(slug);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [selectedRelease, setSelectedRelease] = useState<string | null>(null);
  const refresh = () => {
    client.invalidateQueries({ queryKey: keys.environments(slug) });
    client.invalidateQueries({ queryKey: keys.releases(slug) });
  };
  // Deploys and verifications run as operations: refresh when one moves on.
  useProjectActivity(slug, (event) => {
    if (event.type === 'complete' || (event.type === 'step' && event.data.status === 'succeeded')) refresh();
  });

  const role = project.role;
  const items = envs.data?.items ?? [];
  const staging = items.find((e) => e.name === 'staging');
  const shownLogs = logsOf ?? staging?.name ?? items[0]?.name ?? null;
  const release =
    releases.data?.items.find((r) => r.id === selectedRelease) ??
    staging?.release ??
    releases.data?.items[0] ??
    null;

  return (
    <>
      <PageHeader
        title="Environments"
        documentTitle={`Environments · ${project.name}`}
        description="Where the project's app runs. Publishing promotes the verified staging release to production; rollback re-routes to a kept release without rebuilding."
      />
      <div className="mb-4 empty:hidden" aria-live="polite">
        <LatestDeployAction slug={slug} />
      </div>
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="Environments" flush>
            {envs.isPending ? (
              <Loading label="Loading environments…" className="px-5" />
            ) : envs.isError ? (
              <div className="p-5">
                <ErrorAlert error={envs.error} />
              </div>
            ) : (
              <EnvironmentList
                slug={slug}
                role={role}
                environments={items}
                logsOf={shownLogs}
                onShowLogs={setLogsOf}
              />
            )}
          </Card>
          <Card
            title="Releases"
            description="Kept builds, newest first; any ready one can be routed to again."
            flush
          >
            {releases.isPending ? (
              <Loading label="Loading releases…" className="px-5" />
            ) : releases.isError ? (
              <div className="p-5">
                <ErrorAlert error={releases.error} />
              </div>
            ) : (
              <ReleaseHistory
                slug={slug}
                role={role}
                releases={releases.data.items}
                environments={items}
                selected={release?.id ?? null}
                onSelect={(r) => setSelectedRelease(r.id)}
              />
            )}
          </Card>
          <Card title="Logs">
            {shownLogs ? (
              <EnvironmentLogPanel key={shownLogs} slug={slug} env={shownLogs} />
            ) : (
              <p className="text-sm text-slate-500">Logs appear once an environment exists.</p>
            )}
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Card
            title="Verification"
            description={
              release ? `Screenshots of ${release.shortSha}, taken by the browser robot.` : undefined
            }
          >
            {release ? (
              <VerificationShots operationId={release.verificationOperationId} />
            ) : (
              <p className="text-sm text-slate-500">No release yet.</p>
            )}
          </Card>
          {roleAtLeast(role, 'developer') && !project.archived && (
            <DeployStagingCard slug={slug} onDone={refresh} />
          )}
        </div>
      </div>
    </>
  );
}

function VerificationShots({ operationId }: { operationId: string | null }) {
  const artifacts = useOperationArtifacts(operationId);
  if (!operationId) return <p className="text-sm text-slate-500">This release has not been verified.</p>;
  if (artifacts.isPending) return <Loading label="Loading screenshots…" className="py-2" />;
  if (artifacts.isError) return <ErrorAlert error={artifacts.error} />;
  return (
    <>
      <ArtifactGallery
        artifacts={artifacts.data.filter(isVerificationArtifact)}
        columns="grid-cols-2"
        empty="The verification kept no artifacts."
      />
      <Link
        to={`/operations/${encodeURIComponent(operationId)}`}
        className="mt-3 inline-block text-sm font-medium text-emerald-700 hover:underline"
      >
        Verification details
      </Link>
    </>
  );
}
