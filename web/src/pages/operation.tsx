import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, seg } from '../api/client.ts';
import type { Operation, OperationDetail } from '../api/operation-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { OpenAgentSessionButton } from '../features/agents/agent-session-link.tsx';
import { ArtifactGallery } from '../features/operations/live-artifacts.tsx';
import { operationLabel } from '../features/operations/live-format.ts';
import { LogView } from '../features/operations/live-log.tsx';
import { useLiveOperation, useOperation } from '../features/operations/live-operation.ts';
import { StatusBadge, StreamIndicator } from '../features/operations/live-status.tsx';
import { mergeSteps, StepProgressList } from '../features/operations/live-steps.tsx';
import { TaskTimeline } from '../features/operations/task-timeline.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Breadcrumbs } from '../widgets/breadcrumbs.tsx';
import { Button } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { selectClass } from '../widgets/field.tsx';
import { durationBetween, formatDateTime, formatDuration } from '../widgets/format.ts';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { Unavailable } from '../widgets/unavailable.tsx';

// A workflow run's approvals, in a chunk of their own (only workflow runs need them).
const WorkflowRunApprovals = lazy(() =>
  import('../features/workflows/workflow-run-approvals.tsx').then((m) => ({
    default: m.WorkflowRunApprovals,
  })),
);

/** One operation, live: its steps with progress, its log, its artifacts; cancel and retry. */
export function OperationPage({ params }: PageProps) {
  const id = params.id ?? '';
  const detail = useOperation(id);
  const { live, stream, resume } = useLiveOperation(detail.isError ? null : id);

  if (detail.isPending) return <Loading label="Loading operation…" />;
  if (detail.isError) return <OperationUnavailable id={id} error={detail.error} />;
  const op = detail.data;
  // The live fold knows the newest status first; the detail catches up a moment later.
  const status = live.status !== 'unknown' && live.run >= op.run ? live.status : op.status;
  const failedStep = live.errorStep ?? (typeof op.error?.step === 'string' ? op.error.step : undefined);

  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Projects', to: '/projects' },
          { label: 'Operations', to: '/operations' },
          { label: op.id.slice(0, 8), className: 'font-mono text-xs' },
        ]}
      />
      <PageHeader
        title={operationLabel(op.kind)}
        documentTitle={`${operationLabel(op.kind)} ${op.id.slice(0, 8)}`}
        meta={
          <>
            <StatusBadge status={status} />
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{op.kind}</code>
            <span>
              started by <span className="font-medium text-slate-700">{op.actor.name}</span>{' '}
              {formatDateTime(op.createdAt)}
            </span>
            {op.run > 1 && <span>run {op.run}</span>}
            <StreamIndicator state={stream} />
          </>
        }
        actions={
          <>
            <OpenAgentSessionButton op={op} />
            <OperationActions op={{ ...op, status }} onRetried={resume} />
          </>
        }
      />
      {(live.error || op.error) && status === 'failed' && (
        <div className="mb-6">
          <ErrorAlert
            title={`The operation failed${failedStep ? ` in step ${failedStep}` : ''}`}
            error={new Error(live.error ?? op.error?.message)}
          />
        </div>
      )}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {op.kind === 'workflow.run' && (
            <Suspense fallback={null}>
              <WorkflowRunApprovals op={{ ...op, status }} />
            </Suspense>
          )}
          <Card title="Steps">
            <StepProgressList steps={mergeSteps(live.steps, op.steps)} />
          </Card>
          {(op.kind === 'automation.task' || live.taskSteps.length > 0) && (
            <TaskTimeline
              steps={live.taskSteps}
              result={live.taskResult}
              plannerModels={live.plannerModels}
            />
          )}
          <OperationLogs live={live.logs} steps={live.steps.map((s) => s.key)} />
          <Card title="Artifacts" description="Screenshots, HARs and traces the steps recorded.">
            <ArtifactGallery artifacts={live.artifacts} empty="This operation recorded no artifacts." />
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <OperationFacts op={op} status={status} />
          {live.llmText && (
            <Card title="Model output">
              <p className="text-sm whitespace-pre-wrap text-slate-700">{live.llmText}</p>
            </Card>
          )}
          {op.output !== null && op.output !== undefined && (
            <Card title="Output">
              <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs text-slate-700">
                {JSON.stringify(op.output, null, 2)}
              </pre>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}

function OperationLogs({
  live,
  steps,
}: {
  live: ReturnType<typeof useLiveOperation>['live']['logs'];
  steps: string[];
}) {
  const [step, setStep] = useState('');
  const lines = useMemo(
    () =>
      live
        .filter((l) => !step || l.step === step || l.step?.startsWith(`${step}/`))
        .map((l) => ({ ...l, source: step ? undefined : (l.step ?? '') })),
    [live, step],
  );
  return (
    <Card
      title="Log"
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <span className="sr-only">Show the log of</span>
          <select
            value={step}
            onChange={(e) => setStep(e.target.value)}
            className={`${selectClass} h-8 py-1`}
          >
            <option value="">All steps</option>
            {steps.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <LogView lines={lines} empty="No log lines yet." label="Operation log" />
    </Card>
  );
}

function OperationFacts({ op, status }: { op: OperationDetail; status: string }) {
  const rows: Array<[string, string]> = [
    ['Status', status],
    ['Created', formatDateTime(op.createdAt)],
    ['Started', formatDateTime(op.startedAt)],
    ['Finished', formatDateTime(op.finishedAt)],
    ['Duration', formatDuration(durationBetween(op.startedAt, op.finishedAt))],
    ['Trace', op.traceId],
  ];
  return (
    <Card title="Details">
      <dl className="space-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4">
            <dt className="text-slate-500">{label}</dt>
            <dd className="min-w-0 truncate text-right font-medium text-slate-800" title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function OperationActions({ op, onRetried }: { op: Operation; onRetried: () => void }) {
  const client = useQueryClient();
  const act = useMutation({
    mutationFn: (verb: 'cancel' | 'retry') => api.post<Operation>(`/api/operations/${seg(op.id)}/${verb}`),
    onSuccess: (_, verb) => {
      if (verb === 'retry') onRetried();
      return client.invalidateQueries({ queryKey: keys.operation(op.id) });
    },
  });
  const active = op.status === 'queued' || op.status === 'running';
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {active && (
          <Button
            variant="secondary"
            busy={act.isPending && act.variables === 'cancel'}
            disabled={op.cancelRequested}
            onClick={() => act.mutate('cancel')}
          >
            {op.cancelRequested ? 'Cancelling…' : 'Cancel'}
          </Button>
        )}
        {(op.status === 'failed' || op.status === 'cancelled') && (
          <Button busy={act.isPending && act.variables === 'retry'} onClick={() => act.mutate('retry')}>
            Retry
          </Button>
        )}
      </div>
      {act.isError && <ErrorAlert error={act.error} />}
    </div>
  );
}

function OperationUnavailable({ id, error }: { id: string; error: unknown }) {
  return (
    <Unavailable
      error={error}
      titles={{ notFound: 'Operation not found', other: 'Could not load the operation' }}
      documentTitle={`Operation ${id.slice(0, 8)}`}
      back={{ to: '/projects', label: 'Back to projects' }}
    />
  );
}
