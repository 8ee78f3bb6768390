import type { ReactNode } from 'react';
import type { AgentSession } from '../../api/agent-session-types.ts';
import { Link } from '../../app/router.tsx';
import { Card } from '../../widgets/card.tsx';
import { durationBetween, formatDateTime, formatDuration } from '../../widgets/format.ts';
import { shortSha, to } from '../projects/project-paths.ts';

const LINK = 'font-medium text-emerald-800 hover:underline';

/** Where the work went (branch, merge request, commits) and where it came from (issue, operation). */
export function AgentSessionFacts({ session }: { session: AgentSession }) {
  const slug = session.projectSlug;
  const rows: Array<[string, ReactNode]> = [
    [
      'Branch',
      <Link key="branch" to={to.code(slug, session.branch)} className={`${LINK} font-mono text-xs`}>
        {session.branch}
      </Link>,
    ],
    [
      'Merge request',
      session.mergeRequestNumber !== null ? (
        <Link key="mr" to={to.mergeRequest(slug, session.mergeRequestNumber)} className={LINK}>
          !{session.mergeRequestNumber}
        </Link>
      ) : (
        'not yet'
      ),
    ],
    ...(session.issueNumber !== null
      ? ([
          [
            'Issue',
            <Link key="issue" to={to.issue(slug, session.issueNumber)} className={LINK}>
              #{session.issueNumber}
            </Link>,
          ],
        ] as Array<[string, ReactNode]>)
      : []),
    [
      'Head',
      session.headSha ? (
        <Link key="head" to={to.commit(slug, session.headSha)} className={`${LINK} font-mono text-xs`}>
          {shortSha(session.headSha)}
        </Link>
      ) : (
        '—'
      ),
    ],
    ['Started', formatDateTime(session.startedAt ?? session.createdAt)],
    ['Duration', formatDuration(durationBetween(session.startedAt, session.finishedAt))],
    [
      'Operation',
      session.operationId ? (
        <Link
          key="op"
          to={to.operation(session.operationId)}
          aria-label={`Operation ${session.operationId.slice(0, 8)}`}
          className={`${LINK} font-mono text-xs`}
        >
          {session.operationId.slice(0, 8)}
        </Link>
      ) : (
        '—'
      ),
    ],
  ];
  return (
    <Card title="Details">
      <dl className="space-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4">
            <dt className="text-slate-500">{label}</dt>
            <dd className="min-w-0 truncate text-right text-slate-800">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
