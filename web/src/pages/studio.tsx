import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, seg } from '../api/client.ts';
import type { OperationDetail, OperationEvent } from '../api/operation-types.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { useProjectActivity } from '../features/operations/live-activity.ts';
import { ActivityFeed } from '../features/operations/live-activity-feed.tsx';
import { useLiveOperation, useOperation } from '../features/operations/live-operation.ts';
import { StreamIndicator } from '../features/operations/live-status.tsx';
import { roleAtLeast } from '../features/projects/roles.ts';
import { BuildButton } from '../features/studio/studio-build-button.tsx';
import { buildFacts } from '../features/studio/studio-build-facts.ts';
import { BuildProgress } from '../features/studio/studio-build-progress.tsx';
import { ChangeRequest } from '../features/studio/studio-change-request.tsx';
import { StudioChat } from '../features/studio/studio-chat.tsx';
import { StudioPlan } from '../features/studio/studio-plan.tsx';
import { StudioPreview } from '../features/studio/studio-preview.tsx';
import {
  BUILD_KINDS,
  buildsOf,
  useBlueprint,
  useFeatures,
  useSnapshots,
  useStartBuild,
} from '../features/studio/studio-queries.ts';
import { Badge } from '../widgets/badge.tsx';
import { Breadcrumbs } from '../widgets/breadcrumbs.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TabList, tabPanelProps, useTabs } from '../widgets/tabs.tsx';
import { Unavailable } from '../widgets/unavailable.tsx';
import { useMediaQuery } from '../widgets/use-media-query.ts';

const STATUS_TONE = {
  draft: 'neutral',
  ready: 'green',
  building: 'blue',
  built: 'green',
  discarded: 'amber',
} as const;

type Pane = 'chat' | 'plan' | 'preview';
const PANES: Array<{ key: Pane; label: string }> = [
  { key: 'chat', label: 'Chat' },
  { key: 'plan', label: 'Plan' },
  { key: 'preview', label: 'Preview' },
];
/** Tailwind's xl: from here the panes stand side by side. */
const XL = '(min-width: 80rem)';

/**
 * The Studio: Chat · Plan · Preview around one Blueprint, with its build live on top. Three
 * columns on a wide screen; below xl, tabs (Activity sits under Preview).
 */
export function StudioPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const id = params.id ?? '';
  const client = useQueryClient();
  const location = useLocation();
  const opParam = location.search.get('operation');
  const project = useQuery({
    queryKey: keys.project(slug),
    queryFn: () => api.get<Project>(`/api/projects/${seg(slug)}`),
  });
  const blueprint = useBlueprint(id);
  const snapshots = useSnapshots(id);
  const features = useFeatures(id);
  const builds = buildsOf(features.data?.items);
  const buildOpId = opParam ?? builds.latestOperationId;

  const refreshAfterBuild = useCallback(() => {
    for (const key of [
      keys.blueprint(id),
      keys.snapshots(id),
      keys.features(id),
      keys.environments(slug),
      keys.releases(slug),
    ]) {
      client.invalidateQueries({ queryKey: key });
    }
  }, [client, id, slug]);
  const build = useLiveOperation(buildOpId, { onComplete: refreshAfterBuild });
  const buildDetail = useOperation(buildOpId);
  const startBuild = useStartBuild(id);
  // Below xl the three panes are tabs (the panels stay mounted, so a draft survives a switch).
  const wide = useMediaQuery(XL);
  const panes = useTabs<Pane>('chat');
  const paneProps = (pane: Pane) => (wide ? {} : tabPanelProps(panes, pane));

  const showBuild = useCallback(
    (operationId: string) =>
      navigate(`${location.pathname}?operation=${encodeURIComponent(operationId)}`, { replace: true }),
    [location.pathname],
  );
  const activity = useProjectActivity(slug, (event: OperationEvent, kind) => {
    // A build of this Blueprint started elsewhere (CLI, another tab): follow it.
    if (
      event.type === 'operation' &&
      event.data.status === 'queued' &&
      kind &&
      BUILD_KINDS.has(kind) &&
      event.operationId !== buildOpId
    ) {
      api
        .get<OperationDetail>(`/api/operations/${seg(event.operationId)}`)
        .then((op) => {
          const input = (op.input ?? {}) as { blueprintId?: string };
          if (input.blueprintId === id) {
            showBuild(op.id);
            client.invalidateQueries({ queryKey: keys.features(id) });
          }
        })
        .catch(() => undefined);
    }
    // Deploys, publishes and rollbacks change environments.
    if (event.type === 'complete' || (event.type === 'step' && event.data.status === 'succeeded')) {
      client.invalidateQueries({ queryKey: keys.environments(slug) });
      client.invalidateQueries({ queryKey: keys.releases(slug) });
    }
    // A merge (here, on the merge request's page, by a push) releases main: whether this
    // Blueprint's build is on main shows in its features.
    if (event.type === 'complete') client.invalidateQueries({ queryKey: keys.features(id) });
  });

  if (blueprint.isPending) return <Loading label="Loading the Studio…" />;
  if (blueprint.isError) return <StudioUnavailable slug={slug} error={blueprint.error} />;
  const bp = blueprint.data;
  const buildStatus = build.live.status !== 'unknown' ? build.live.status : buildDetail.data?.status;
  const building = buildStatus === 'queued' || buildStatus === 'running';
  const shownIsChange = buildFacts(buildDetail.data?.input).change;
  // A change needs an app to change: once built (a change's own failure leaves the box there to retry).
  const canRequestChange = bp.status === 'built' || shownIsChange;

  return (
    <div className="flex flex-col xl:h-[calc(100vh-6.5rem)] xl:min-h-[44rem]">
      <Breadcrumbs
        className="mb-2"
        items={[
          { label: 'Projects', to: '/projects' },
          { label: project.data?.name ?? slug, to: `/projects/${encodeURIComponent(slug)}` },
          { label: 'Studio' },
        ]}
      />
      <PageHeader
        title={bp.title || 'Untitled Blueprint'}
        documentTitle={`${bp.title || 'Blueprint'} · Studio`}
        meta={
          <>
            <Badge tone={STATUS_TONE[bp.status]}>{bp.status}</Badge>
            <span>version {bp.version}</span>
            {bp.blueprint.template && (
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                {bp.blueprint.template}
              </code>
            )}
            <StreamIndicator state={activity.stream} />
          </>
        }
        actions={
          <BuildButton
            blueprint={bp}
            building={building}
            busy={startBuild.isPending}
            error={startBuild.error}
            onBuild={(override) =>
              startBuild.mutate(override, { onSuccess: (accepted) => showBuild(accepted.operationId) })
            }
          />
        }
      />
      {buildOpId && (
        <div className="mb-4">
          <BuildProgress
            slug={slug}
            operationId={buildOpId}
            live={build.live}
            detail={buildDetail.data}
            stream={build.stream}
          />
        </div>
      )}
      {!wide && <TabList label="Studio panes" tabs={panes} items={PANES} className="mb-4" />}
      <div className="grid min-h-0 flex-1 grid-cols-1 gap-4 xl:grid-cols-[minmax(0,5fr)_minmax(0,6fr)_minmax(0,5fr)] xl:grid-rows-[minmax(0,1fr)]">
        <div className="h-[36rem] min-h-0 xl:h-auto" {...paneProps('chat')}>
          <StudioChat blueprint={bp} snapshots={snapshots.data ?? []} loading={snapshots.isPending} />
        </div>
        <div className="min-h-0 xl:overflow-y-auto" {...paneProps('plan')}>
          <StudioPlan blueprint={bp} snapshots={snapshots.data ?? []} />
        </div>
        <div className="min-h-0 space-y-4 xl:overflow-y-auto" {...paneProps('preview')}>
          {canRequestChange && roleAtLeast(project.data?.role ?? 'viewer', 'developer') && (
            <ChangeRequest blueprintId={id} building={building} onStarted={showBuild} />
          )}
          <StudioPreview
            slug={slug}
            blueprintId={id}
            role={project.data?.role ?? 'viewer'}
            building={building}
            builds={builds}
            notBuilt={
              builds.builtVersion !== null && bp.status !== 'building' ? bp.version - builds.builtVersion : 0
            }
            onBuild={() =>
              startBuild.mutate(false, { onSuccess: (accepted) => showBuild(accepted.operationId) })
            }
            buildBusy={startBuild.isPending}
            // A change's screenshots are of its preview, not of staging.
            buildArtifacts={shownIsChange ? [] : build.live.artifacts}
          />
          <section aria-label="Activity" className="rounded-lg border border-slate-200 bg-white shadow-xs">
            <header className="border-b border-slate-200 px-4 py-3">
              <h2 className="text-sm font-semibold text-slate-900">Activity</h2>
            </header>
            <div className="max-h-[28rem] overflow-y-auto px-4 py-3">
              <ActivityFeed
                entries={activity.entries}
                empty="No activity yet: build the Blueprint to start."
              />
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}

function StudioUnavailable({ slug, error }: { slug: string; error: unknown }) {
  return (
    <Unavailable
      error={error}
      titles={{
        notFound: 'Blueprint not found',
        forbidden: 'No access to this Blueprint',
        other: 'Could not open the Studio',
      }}
      documentTitle="Studio"
      back={{ to: `/projects/${encodeURIComponent(slug)}`, label: 'Back to the project' }}
    />
  );
}
