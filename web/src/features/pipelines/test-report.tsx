import type { TestFailure, TestReport, TestSummary } from '../../api/pipeline-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { formatDuration } from '../../widgets/format.ts';
import { failurePlace, testSummaryText, testTone } from './test-summary.ts';

/** "42 passed · 1 failed · 2 skipped" as a pill, red when anything failed. */
export function TestSummaryBadge({ summary }: { summary: TestSummary }) {
  return (
    <span data-testid="test-summary">
      <Badge tone={testTone(summary)}>{testSummaryText(summary)}</Badge>
    </span>
  );
}

/**
 * A job's test results, shown above its log: what the reports counted, what could not be read,
 * and the failing cases first (name, where, message, the first lines of their output).
 */
export function TestResults({ job, report }: { job: string; report: TestReport }) {
  const files = report.files.map((f) => f.path).join(', ');
  return (
    <section aria-label={`Test results of ${job}`} className="border-b border-slate-200">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 text-sm">
        <h3 className="font-semibold text-slate-900">Tests</h3>
        <TestSummaryBadge summary={report} />
        {report.durationMs !== null && (
          <span className="text-xs text-slate-500">{formatDuration(report.durationMs)}</span>
        )}
        {files && <span className="truncate font-mono text-xs text-slate-500">from {files}</span>}
      </div>
      {report.notes.length > 0 && (
        <ul aria-label="Report notes" className="space-y-1 px-5 pb-3 text-xs text-amber-800">
          {report.notes.map((note) => (
            <li key={note}>⚠ {note}</li>
          ))}
        </ul>
      )}
      {report.failures.length > 0 && (
        <section aria-label={`Failures of ${job}`} className="border-t border-red-100 bg-red-50/40 px-5 py-3">
          <h3 className="text-sm font-semibold text-red-800">
            Failures ({report.failures.length + report.omittedFailures})
          </h3>
          <ol className="mt-2 space-y-3">
            {report.failures.map((failure, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cases may share a name; the order is the report's
              <FailureItem key={i} failure={failure} />
            ))}
          </ol>
          {report.omittedFailures > 0 && (
            <p className="mt-3 text-xs text-slate-600">
              and {report.omittedFailures} more failing {report.omittedFailures === 1 ? 'test' : 'tests'}, not
              listed
            </p>
          )}
        </section>
      )}
    </section>
  );
}

function FailureItem({ failure }: { failure: TestFailure }) {
  const place = failurePlace(failure);
  return (
    <li className="rounded-md border border-red-200 bg-white px-3 py-2" data-testid="test-failure">
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium break-all text-slate-900">{failure.name}</span>
        {failure.kind === 'error' && <Badge tone="amber">error</Badge>}
        {place && <span className="font-mono text-xs break-all text-slate-500">{place}</span>}
      </p>
      {failure.message && <p className="mt-1 text-sm break-words text-red-700">{failure.message}</p>}
      {failure.output && (
        <pre className="mt-2 rounded bg-slate-950 px-3 py-2 font-mono text-xs leading-5 break-words whitespace-pre-wrap text-slate-100">
          {failure.output}
        </pre>
      )}
    </li>
  );
}
