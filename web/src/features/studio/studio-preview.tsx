import type { Environment, Release } from '../../api/env-types.ts';
import type { ProjectRole } from '../../api/project-types.ts';
import { Link } from '../../app/router.tsx';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { formatRelative } from '../../widgets/format.ts';
import { Loading, Spinner } from '../../widgets/spinner.tsx';
import { EnvStatusBadge } from '../environments/env-badges.tsx';
import { useEnvironments, usePublish, useRollback } from '../environments/env-queries.ts';
import { useOperationArtifacts } from '../environments/env-verification.ts';
import { isScreenshot, ScreenshotGrid } from '../operations/live-artifacts.tsx';
import type { LiveArtifact } from '../operations/live-operation-state.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { PreviewFrame } from './studio-preview-frame.tsx';

/**
 * The running app: staging in a small browser (address bar, refresh, device sizes, open in a new
 * tab), Publish in the pane's header where it is seen without scrolling, then production, Rollback
 * and the verification screenshots.
 */
export function StudioPreview({
  slug,
  role,
  building,
  buildArtifacts,
  branches,
  notBuilt,
  onBuild,
  buildBusy,
}: {
  slug: string;
  role: ProjectRole;
  building: boolean;
  buildArtifacts: LiveArtifact[];
  /** The branches this Blueprint's builds deliver to: staging shows its app only from one of them. */
  branches: ReadonlySet<string>;
  /** Blueprint versions since the last successful build (0: the preview is current). */
  notBuilt: number;
  onBuild(): void;
  buildBusy: boolean;
}) {
  const envs = useEnvironments(slug);
  const publish = usePublish(slug);
  const rollback = useRollback(slug);
  const staging = envs.data?.items.find((e) => e.name === 'staging');
  const production = envs.data?.items.find((e) => e.name === 'production');
  // Staging may run another Blueprint of the project: this one's results only, or none.
  const ours = staging?.release?.branch ? branches.has(staging.release.branch) : false;
  const release = ours ? staging?.release : undefined;
  const published = Boolean(release && production?.release?.id === release.id);
  const maintainer = roleAtLeast(role, 'maintainer');
  return (
    <section aria-label="Preview" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <header className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 border-b border-slate-200 px-4 py-2.5">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold text-slate-900">Preview</h2>
          {staging && <EnvStatusBadge status={staging.status} />}
        </div>
        <div className="flex items-center gap-3">
          <Link
            to={`/projects/${encodeURIComponent(slug)}/environments`}
            className="text-sm font-medium text-emerald-700 hover:underline"
          >
            Environments
          </Link>
          {release &&
            (published ? (
              <span
                data-testid="published-state"
                title={`Production runs ${release.shortSha}`}
                className="inline-flex h-8 items-center gap-1 text-sm font-medium text-emerald-800"
              >
                <svg
                  viewBox="0 0 24 24"
                  className="size-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  aria-hidden="true"
                >
                  <path d="m5 12 5 5 9-10" />
                </svg>
                Published
              </span>
            ) : (
              maintainer && (
                <Button
                  size="sm"
                  busy={publish.isPending}
                  onClick={() => {
                    rollback.reset();
                    publish.mutate(undefined);
                  }}
                >
                  Publish
                </Button>
              )
            ))}
        </div>
      </header>
      {release && (
        <PublishOutcome
          publish={publish}
          rollback={rollback}
          hint={maintainer && !release.verified && !published}
        />
      )}
      {envs.isPending ? (
        <Loading label="Loading environments…" className="px-4" />
      ) : envs.isError ? (
        <div className="p-4">
          <ErrorAlert error={envs.error} />
        </div>
      ) : !staging || !release ? (
        <EmptyPreview building={building} staging={staging} other={Boolean(staging?.release) && !ours} />
      ) : (
        <>
          {notBuilt > 0 && !building && (
            <div
              role="status"
              data-testid="preview-stale"
              className="flex items-center justify-between gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              <span>
                {notBuilt === 1 ? '1 change' : `${notBuilt} changes`} not built yet: the preview shows the
                Blueprint as it was.
              </span>
              {roleAtLeast(role, 'developer') && (
                <Button size="sm" busy={buildBusy} onClick={onBuild}>
                  Build
                </Button>
              )}
            </div>
          )}
          <PreviewFrame
            url={staging.url}
            envName={staging.name}
            release={release}
            deployedAt={staging.deployedAt}
            title="Staging preview"
          />
          <StagingDetails
            role={role}
            staging={staging}
            release={release}
            production={production}
            rollback={rollback}
            onRollback={() => {
              publish.reset();
              rollback.mutate({ env: 'production' });
            }}
            buildArtifacts={buildArtifacts}
          />
        </>
      )}
    </section>
  );
}

/** What Publish and Rollback did, under the header that holds Publish. */
function PublishOutcome({
  publish,
  rollback,
  hint,
}: {
  publish: ReturnType<typeof usePublish>;
  rollback: ReturnType<typeof useRollback>;
  /** Say why Publish will be refused: the release is not verified. */
  hint: boolean;
}) {
  if (!hint && publish.isIdle && rollback.isIdle) return null;
  return (
    <div className="space-y-2 border-b border-slate-200 px-4 py-2 empty:hidden">
      {hint && <p className="text-xs text-slate-500">Publishing needs a release that passed verification.</p>}
      {publish.isSuccess && (
        <Alert tone="success">Published {publish.data.release.shortSha} to production.</Alert>
      )}
      {rollback.isSuccess && (
        <Alert tone="success">Production rolled back to {rollback.data.release.shortSha}.</Alert>
      )}
      <ErrorAlert error={publish.error} />
      <ErrorAlert error={rollback.error} />
    </div>
  );
}

function EmptyPreview({
  building,
  staging,
  other,
}: {
  building: boolean;
  staging?: Environment;
  /** Staging runs another Blueprint's build. */
  other: boolean;
}) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center" data-testid="preview-empty">
      <div className="grid size-12 place-items-center rounded-full bg-slate-100 text-slate-400">
        {building ? (
          <Spinner className="size-5 text-emerald-600" />
        ) : (
          <svg
            viewBox="0 0 24 24"
            className="size-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            aria-hidden="true"
          >
            <rect x="3" y="4" width="18" height="14" rx="2" />
            <path d="M3 8h18M8 21h8" />
          </svg>
        )}
      </div>
      <p className="mt-3 text-sm font-medium text-slate-900">
        {building ? 'Building your app…' : other ? 'Not built yet' : 'Nothing deployed yet'}
      </p>
      <p className="mt-1 max-w-xs text-sm text-slate-500">
        {building
          ? 'It appears here as soon as the build deploys it to staging.'
          : other
            ? "Staging runs another Blueprint's build. Build this one: Orchard deploys it, checks it in a browser and shows it here."
            : 'Build it: Orchard deploys the app to staging, checks every page in a browser and shows it here.'}
      </p>
      {staging?.lastError && !other && <p className="mt-3 text-xs text-red-700">{staging.lastError}</p>}
    </div>
  );
}

function StagingDetails({
  role,
  staging,
  release,
  production,
  rollback,
  onRollback,
  buildArtifacts,
}: {
  role: ProjectRole;
  staging: Environment;
  release: Release;
  production?: Environment;
  rollback: ReturnType<typeof useRollback>;
  onRollback(): void;
  buildArtifacts: LiveArtifact[];
}) {
  const verification = useOperationArtifacts(release.verificationOperationId);
  const stored = (verification.data ?? []).filter(isScreenshot);
  const shots = stored.length ? stored : buildArtifacts.filter(isScreenshot);
  const live = production?.release;

  return (
    <div className="space-y-4 p-4">
      <dl className="space-y-1.5 text-sm">
        {staging.deployedAt && (
          <div className="flex items-center justify-between gap-3">
            <dt className="text-slate-500">Staging</dt>
            <dd className="text-xs text-slate-500">deployed {formatRelative(staging.deployedAt)}</dd>
          </div>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <dt className="text-slate-500">Production</dt>
          <dd className="flex flex-wrap items-center gap-2" data-testid="production-release">
            {live ? (
              <>
                <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">
                  {live.shortSha}
                </code>
                <a
                  href={production!.url}
                  target="_blank"
                  rel="noreferrer"
                  className="text-xs font-medium text-emerald-700 hover:underline"
                >
                  Open production
                </a>
                {production?.rollbackTo && roleAtLeast(role, 'maintainer') && (
                  <ConfirmButton
                    size="sm"
                    variant="secondary"
                    question={`Roll production back to ${production.rollbackTo.shortSha}?`}
                    confirmLabel="Roll back"
                    busy={rollback.isPending}
                    onConfirm={onRollback}
                  >
                    Rollback
                  </ConfirmButton>
                )}
              </>
            ) : (
              <span className="text-xs text-slate-400">not published yet</span>
            )}
          </dd>
        </div>
      </dl>

      <div>
        <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Verification</h3>
        {verification.isPending && release.verificationOperationId ? (
          <Loading label="Loading screenshots…" className="py-2" />
        ) : shots.length ? (
          <ScreenshotGrid shots={shots} columns="grid-cols-2" />
        ) : (
          <p className="text-sm text-slate-500">
            {release.verified ? 'Verified; no screenshots were kept.' : 'Not verified yet: no screenshots.'}
          </p>
        )}
        {release.verificationOperationId && (
          <Link
            to={`/operations/${encodeURIComponent(release.verificationOperationId)}`}
            className="mt-2 inline-block text-xs font-medium text-emerald-700 hover:underline"
          >
            Verification details
          </Link>
        )}
      </div>
    </div>
  );
}
