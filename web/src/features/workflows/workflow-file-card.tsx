import type { Workflow } from '../../api/workflow-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { WorkflowRunForm } from './workflow-run-form.tsx';

/** One workflow file: valid with its steps and a Run form, or invalid with each problem by line. */
export function WorkflowFileCard({
  slug,
  workflow,
  canRun,
}: {
  slug: string;
  workflow: Workflow;
  canRun: boolean;
}) {
  return (
    <Card
      title={workflow.title ?? workflow.name}
      description={
        <>
          <code className="text-xs">{workflow.file}</code>
          {workflow.description && <span className="block">{workflow.description}</span>}
        </>
      }
      actions={workflow.valid ? <Badge tone="green">valid</Badge> : <Badge tone="red">invalid</Badge>}
    >
      {workflow.valid ? (
        <div className="grid gap-4 md:grid-cols-2">
          <div className="min-w-0 space-y-2">
            <ol aria-label={`Steps of ${workflow.name}`} className="space-y-1 text-sm">
              {workflow.steps.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center gap-1.5">
                  <span className="font-medium text-slate-900">{s.name ?? s.id}</span>
                  <Badge>{s.kind}</Badge>
                  {s.fanOut && <Badge tone="blue">for each</Badge>}
                  {s.retries > 0 && <span className="text-xs text-slate-500">retries {s.retries}</span>}
                  {s.needs.length > 0 && (
                    <span className="text-xs text-slate-500">after {s.needs.join(', ')}</span>
                  )}
                </li>
              ))}
            </ol>
            {workflow.schedules.length > 0 && (
              <p className="text-xs text-slate-500">
                On schedule (UTC): <code>{workflow.schedules.join(', ')}</code>
              </p>
            )}
          </div>
          {canRun && <WorkflowRunForm slug={slug} workflow={workflow} />}
        </div>
      ) : (
        <ul aria-label={`Problems in ${workflow.file}`} className="space-y-1 font-mono text-xs text-red-800">
          {workflow.errors.map((e) => (
            <li key={`${e.line}:${e.column}:${e.field}:${e.message}`}>
              {workflow.file}:{e.line ?? '?'}:{e.column ?? 1}: {e.field ? `${e.field}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
