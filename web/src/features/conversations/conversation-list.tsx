import { useDeferredValue, useId, useState } from 'react';
import type { Conversation } from '../../api/conversation-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { selectClass } from '../../widgets/field.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { useConversations } from './conversation-queries.ts';
import { SearchMatch } from './search-match.tsx';

/**
 * Conversations with a search over what was said in them: a project's, or (without `project`)
 * every one the signed-in person may read, each with its project.
 */
export function ConversationList({ project }: { project?: string }) {
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const searchId = useId();
  const list = useConversations({ project, q });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      flush
      title={q ? 'Matching conversations' : 'Conversations'}
      actions={
        <div className="flex items-center gap-2">
          <label htmlFor={searchId} className="sr-only">
            Search conversations
          </label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Search messages…"
            maxLength={200}
            className={`${selectClass} h-8 w-56 py-1`}
          />
        </div>
      }
    >
      {list.isPending ? (
        <Loading label="Loading conversations…" className="px-5" />
      ) : list.isError ? (
        <div className="p-5">
          <ErrorAlert error={list.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">
          {q
            ? `No message says “${q}”.`
            : 'No conversations yet: chatting with the Architect in the Studio starts one.'}
        </p>
      ) : (
        <ul aria-label="Conversations" className="divide-y divide-slate-100">
          {items.map((c) => (
            <ConversationRow key={c.id} conversation={c} showProject={!project} />
          ))}
        </ul>
      )}
      <LoadMore pages={list} />
    </Card>
  );
}

function ConversationRow({
  conversation: c,
  showProject,
}: {
  conversation: Conversation;
  showProject: boolean;
}) {
  return (
    <li className="relative px-5 py-3 hover:bg-slate-50">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Link
          to={`/conversations/${encodeURIComponent(c.id)}`}
          className="min-w-0 font-medium break-words text-slate-900 after:absolute after:inset-0 hover:text-emerald-800 focus-visible:outline-2 focus-visible:outline-emerald-600"
        >
          {c.title || 'Untitled conversation'}
        </Link>
        {showProject && (c.project ? <Badge>{c.project.name}</Badge> : <Badge tone="blue">personal</Badge>)}
      </div>
      {c.match && <SearchMatch text={c.match} />}
      <p className="mt-0.5 text-xs text-slate-500">
        {c.messageCount} message{c.messageCount === 1 ? '' : 's'} · <TimeAgo iso={c.updatedAt} />
      </p>
    </li>
  );
}
