import type { ConversationMessage } from '../../api/conversation-types.ts';
import { Link } from '../../app/router.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Markdown } from '../../widgets/markdown.tsx';
import { to } from '../projects/project-paths.ts';
import { AnsweredByBadge } from './answered-by-badge.tsx';

const ROLE_LABELS = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' } as const;

/**
 * One message: who said it and when, who answered (on replies), its text as Markdown, and — for a
 * Studio turn — the Blueprint version it made, linked to the Studio.
 */
export function ConversationMessageItem({
  message: m,
  projectSlug,
}: {
  message: ConversationMessage;
  projectSlug: string | null;
}) {
  const blueprintId = typeof m.data.blueprintId === 'string' ? m.data.blueprintId : null;
  const version = typeof m.data.version === 'number' ? m.data.version : null;
  const mine = m.role === 'user';
  return (
    <li
      data-role={m.role}
      className={`rounded-lg border px-4 py-3 ${mine ? 'border-emerald-200 bg-emerald-50/40' : 'border-slate-200 bg-white'}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
        <span className="font-semibold text-slate-800">{ROLE_LABELS[m.role]}</span>
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
        {m.answeredBy && <AnsweredByBadge by={m.answeredBy} />}
        {blueprintId && projectSlug && (
          <Link
            to={`${to.project(projectSlug)}/blueprints/${encodeURIComponent(blueprintId)}`}
            className="font-medium text-emerald-700 hover:underline"
          >
            {version !== null ? `Blueprint v${version}` : 'Blueprint'}
          </Link>
        )}
      </div>
      <Markdown text={m.content} className="mt-2 text-sm text-slate-800" />
    </li>
  );
}
