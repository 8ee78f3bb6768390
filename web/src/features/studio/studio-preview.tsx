import { useState } from 'react';
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
import { to } from '../projects/project-paths.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { PreviewFrame } from './studio-preview-frame.tsx';
import { type StudioBuilds, useMergeBuild } from './studio-queries.ts';

/**
 * The running app in a small browser (address bar, refresh, device sizes, open in a new tab):
 * staging, which runs what main has, once this Blueprint's app is there — or the preview of a
 * build that waits for review, with Merge (which releases it on staging). Publish sits in the
 * pane's header where it is seen without scrolling; then production, Rollback and the
 * verification screenshots.
 */
export function StudioPreview({
  slug,
  blueprintId,
  role,
  building,
  buildArtifacts,
  builds,
  notBuilt,
  onBuild,
  buildBusy,
}: {
  slug: string;
  blueprintId: string;
  role: ProjectRole;
  building: boolean;
  buildArtifacts: LiveArtifact[];
  builds: StudioBuilds;
  /** Blueprint versions since the last successful build (0: the preview is current). */
  notBuilt: number;
  onBuild(): void;
  buildBusy: boolean;
}) {
  const envs = useEnvironments(slug);
  const publish = usePublish(slug);
  const rollback = useRollback(slug);
  const merge = useMergeBuild(slug, blueprintId);
  const [choice, setChoice] = useState<'branch' | 'staging' | null>(null);
  const staging = envs.data?.items.find((e) => e.name === 'staging');
  const production = envs.data?.items.find((e) => e.name === 'production');
  // Staging may run another Blueprint of the project: this one's results only, or none. It runs
  // main, which holds this Blueprint's app once one of its builds is merged.
  const stagingBranch = staging?.release?.branch ?? null;
  const ours =
    stagingBranch === 'main' ? builds.onMain : stagingBranch ? builds.branches.has(stagingBranch) : false;
  const release = ours ? staging?.release : undefined;
  const review = builds.awaitingReview;
  const branchEnv = review
    ? envs.data?.items.find((e) => e.name === `preview/${review.branch}` && e.release)
    : undefined;
  const shown: 'branch' | 'staging' =
    branchEnv && (choice === 'branch' || !release || choice === null) && choice !== 'staging'
      ? 'branch'
      : 'staging';
  const published = Boolean(release && production?.release?.id === release.id);
  const maintainer = roleAtLeast(role, 'maintainer');
  return (
    <section aria-label="Preview" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <header className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 border-b border-slate-200 px-4 py-2.5">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold text-slate-900">Preview</h2>
          {shown === 'branch' && branchEnv ? (
            <EnvStatusBadge status={branchEnv.status} />
          ) : (
            staging && <EnvStatusBadge status={staging.status} />
          )}
        </div>
        <div className="flex items-center gap-3">
          <Link to={to.environments(slug)} className="text-sm font-medium text-emerald-700 hover:underline">
            Environments
          </Link>
          {shown === 'branch' && review
            ? maintainer && (
                <Button
                  size="sm"
                  busy={merge.isPending}
                  onClick={() => merge.mutate(review.mergeRequestNumber)}
                >
                  Merge
                </Button>
              )
            : release &&
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
      {branchEnv && release && (
        <fieldset className="flex gap-1 border-b border-slate-200 px-4 py-2 text-sm">
          <legend className="sr-only">Show</legend>
          {(
            [
              ['branch', `Branch preview`],
              ['staging', 'Staging'],
            ] as const
          ).map(([key, label]) => (
            <label
              key={key}
              className={`cursor-pointer rounded-md px-2.5 py-1 font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-emerald-500 ${
                shown === key ? 'bg-slate-900 text-white' : 'text-slate-600 hover:bg-slate-100'
              }`}
            >
              <input
                type="radio"
                name={`studio-preview-${blueprintId}`}
                className="sr-only"
                checked={shown === key}
                onChange={() => setChoice(key)}
              />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      {shown === 'branch' && review && branchEnv?.release ? (
        <>
          <div
            role="status"
            data-testid="awaiting-review"
            className="space-y-2 border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900"
          >
            <p>
              This build is on its branch&apos;s preview and waits for review in{' '}
              <Link
                to={`/projects/${encodeURIComponent(slug)}/merge-requests/${review.mergeRequestNumber}`}
                className="font-medium underline"
              >
                merge request !{review.mergeRequestNumber}
              </Link>
              . Merging it releases it on staging; Publish takes it from there to production.
            </p>
            <ErrorAlert error={merge.error} />
          </div>
          <PreviewFrame
            url={branchEnv.url}
            envName={branchEnv.name}
            release={branchEnv.release}
            deployedAt={branchEnv.deployedAt}
            title="Branch preview"
          />
        </>
      ) : (
        <>
          {release && (
            <PublishOutcome
              publish={publish}
              rollback={rollback}
              merged={merge.isSuccess ? (merge.data.mergeCommitSha ?? null) : null}
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
            <EmptyPreview
              building={building}
              staging={staging}
              other={Boolean(staging?.release) && !ours}
              merging={merge.isSuccess}
            />
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
        </>
      )}
    </section>
  );
}

/** What Publish and Rollback did, under the header that holds Publish. */
function PublishOutcome({
  publish,
  rollback,
  merged,
  hint,
}: {
  publish: ReturnType<typeof usePublish>;
  rollback: ReturnType<typeof useRollback>;
  /** The merge commit of a merge made here, on its way to staging. */
  merged: string | null;
  /** Say why Publish will be refused: the release is not verified. */
  hint: boolean;
}) {
  if (!hint && !merged && publish.isIdle && rollback.isIdle) return null;
  return (
    <div className="space-y-2 border-b border-slate-200 px-4 py-2 empty:hidden">
      {merged && (
        <Alert tone="info">
          Merged as {merged.slice(0, 7)}: main&apos;s pipeline runs, then staging gets it and checks it in a
          browser.
        </Alert>
      )}
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
  merging,
}: {
  building: boolean;
  staging?: Environment;
  /** Staging runs another Blueprint's build. */
  other: boolean;
  /** This Blueprint's build was just merged: staging follows. */
  merging: boolean;
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
        {building
          ? 'Building your app…'
          : merging
            ? 'Releasing on staging…'
            : other
              ? 'Not built yet'
              : 'Nothing deployed yet'}
      </p>
      <p className="mt-1 max-w-xs text-sm text-slate-500">
        {building
          ? 'It appears here as soon as the build deploys its preview.'
          : merging
            ? "Main's pipeline runs on the merge; then staging gets it and the browser robot checks it."
            : other
              ? "Staging runs another Blueprint's build. Build this one: Orchard deploys it, checks it in a browser and shows it here."
              : 'Build it: Orchard deploys a preview of the app, checks every page in a browser and shows it here; staging follows main.'}
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
