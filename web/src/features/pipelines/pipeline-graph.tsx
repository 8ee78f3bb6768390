import type { Job } from '../../api/pipeline-types.ts';
import { durationBetween, formatDuration } from '../../widgets/format.ts';
import { StatusIcon, statusLabel } from './pipeline-status.tsx';
import { testSummaryText } from './test-summary.ts';

/** Jobs in columns: a job stands one column right of the furthest job it needs. */
export function jobColumns(jobs: Job[]): Job[][] {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const depth = new Map<string, number>();
  const visit = (job: Job, path: Set<string>): number => {
    const known = depth.get(job.name);
    if (known !== undefined) return known;
    if (path.has(job.name)) return 0; // a cycle cannot pass validation; never loop on one anyway
    path.add(job.name);
    const needs = job.needs.map((n) => byName.get(n)).filter((j): j is Job => j !== undefined);
    const d = needs.length ? Math.max(...needs.map((n) => visit(n, path) + 1)) : 0;
    depth.set(job.name, d);
    return d;
  };
  const columns: Job[][] = [];
  for (const job of jobs) {
    const d = visit(job, new Set());
    const column = columns[d] ?? [];
    column.push(job);
    columns[d] = column;
  }
  return columns.filter(Boolean);
}

/** The pipeline's jobs as a left-to-right graph of columns; a job is a button that opens its log. */
export function PipelineGraph({
  jobs,
  selected,
  onSelect,
}: {
  jobs: Job[];
  selected: string | undefined;
  onSelect: (name: string) => void;
}) {
  const columns = jobColumns(jobs);
  return (
    <div className="overflow-x-auto">
      <ol aria-label="Jobs" className="flex min-w-max items-start gap-3 p-5">
        {columns.map((column, i) => (
          <li key={column.map((j) => j.name).join()} className="flex items-start gap-3">
            {i > 0 && (
              <svg viewBox="0 0 24 12" aria-hidden="true" className="mt-4 h-3 w-6 text-slate-300">
                <path d="M0 6h20m-5-4 5 4-5 4" fill="none" stroke="currentColor" strokeWidth="1.5" />
              </svg>
            )}
            <ul className="w-52 space-y-2">
              {column.map((job) => (
                <li key={job.name}>
                  <JobButton job={job} selected={job.name === selected} onSelect={() => onSelect(job.name)} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

function JobButton({ job, selected, onSelect }: { job: Job; selected: boolean; onSelect: () => void }) {
  const took = durationBetween(job.startedAt, job.finishedAt);
  return (
    <button
      type="button"
      onClick={onSelect}
      aria-pressed={selected}
      aria-label={`Job ${job.name}: ${statusLabel(job.status)}`}
      data-job={job.name}
      data-status={job.status}
      className={`flex w-full items-start gap-2 rounded-md border px-3 py-2 text-left text-sm shadow-xs transition focus-visible:outline-2 focus-visible:outline-emerald-600 ${
        selected
          ? 'border-emerald-500 bg-emerald-50 ring-1 ring-emerald-500'
          : 'border-slate-200 bg-white hover:border-slate-300 hover:bg-slate-50'
      }`}
    >
      <StatusIcon status={job.status} className="mt-0.5 size-4" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium text-slate-900">{job.name}</span>
        <span className="block text-xs text-slate-500">
          {statusLabel(job.status)}
          {took !== null && ` · ${formatDuration(took)}`}
        </span>
        {job.testReport && (
          <span className={`block text-xs ${job.testReport.failed ? 'text-red-700' : 'text-slate-500'}`}>
            {testSummaryText(job.testReport)}
          </span>
        )}
        {job.needs.length > 0 && (
          <span className="block truncate text-xs text-slate-400">needs {job.needs.join(', ')}</span>
        )}
      </span>
    </button>
  );
}
