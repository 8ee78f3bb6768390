import { Link } from '../../app/router.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { formatBytes, formatDuration } from '../../widgets/format.ts';
import { shortSha, to } from '../projects/project-paths.ts';
import { oneLineArgs, type TranscriptItem } from './agent-transcript.ts';

/*
 * One component per kind of transcript item. Model output is untrusted: it goes into the page as
 * text children only (React escapes it), never as HTML.
 */

type Item<T extends TranscriptItem['type']> = Extract<TranscriptItem, { type: T }>;

const PRE =
  'max-h-72 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-words';

/** "Show full": the whole entry, when the transcript holds a cut version. */
export function ShowFull({ href, what = 'Show full' }: { href: string | null; what?: string }) {
  if (!href) return null;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      className="text-xs font-medium text-emerald-800 underline"
    >
      {what}
    </a>
  );
}

export function MessageItem({ item }: { item: Item<'message'> }) {
  const user = item.role === 'user';
  return (
    <div
      data-role={item.role}
      className={`rounded-lg border px-4 py-3 ${user ? 'border-sky-200 bg-sky-50' : 'border-slate-200 bg-white'}`}
    >
      <p className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {user ? 'Instruction' : 'Agent'}
      </p>
      <p className="text-sm whitespace-pre-wrap break-words text-slate-800">{item.text}</p>
      <ShowFull href={item.fullUrl} />
    </div>
  );
}

function ToolMark({ item }: { item: Item<'tool'> }) {
  if (!item.result) return <span className="text-xs text-slate-400">running…</span>;
  if (item.result.isError) return <Badge tone="red">error</Badge>;
  return <span className="text-xs text-emerald-700">done</span>;
}

/** Collapsed: the tool's name and its arguments on one line. Open: all arguments and the result. */
export function ToolItem({ item }: { item: Item<'tool'> }) {
  const failed = item.result?.isError === true;
  return (
    <details
      data-tool={item.name}
      className={`group rounded-lg border ${failed ? 'border-red-300 bg-red-50/40' : 'border-slate-200 bg-white'}`}
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-2 text-sm">
        <span aria-hidden="true" className="text-slate-400 transition group-open:rotate-90">
          ▸
        </span>
        <code className="font-semibold text-slate-900">{item.name}</code>
        <span className="min-w-0 flex-1 truncate font-mono text-xs text-slate-500">
          {oneLineArgs(item.args)}
        </span>
        <ToolMark item={item} />
      </summary>
      <div className="space-y-3 border-t border-slate-200 px-4 py-3">
        <div>
          <p className="mb-1 text-xs font-semibold text-slate-500">Arguments</p>
          <pre className={PRE}>{JSON.stringify(item.args ?? null, null, 2)}</pre>
          <ShowFull href={item.fullUrl} />
        </div>
        {item.result && (
          <div>
            <p className={`mb-1 text-xs font-semibold ${failed ? 'text-red-700' : 'text-slate-500'}`}>
              {failed ? 'Error' : 'Result'}
            </p>
            <pre className={`${PRE} ${failed ? 'text-red-800' : 'text-slate-700'}`}>{item.result.output}</pre>
            <ShowFull href={item.result.fullUrl} />
          </div>
        )}
      </div>
    </details>
  );
}

export function CommandItem({ item }: { item: Item<'command'> }) {
  const ok = item.exitCode === 0;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        {item.setup && <Badge tone="blue">setup</Badge>}
        <code className="min-w-0 flex-1 font-mono text-slate-900">$ {item.command}</code>
        <Badge tone={ok ? 'green' : 'red'}>
          {item.exitCode === null ? 'killed' : `exit ${item.exitCode}`}
        </Badge>
        {item.durationMs !== undefined && (
          <span className="text-xs text-slate-500">{formatDuration(item.durationMs)}</span>
        )}
      </div>
      {item.output ? (
        <pre className={`${PRE} text-slate-700`}>{item.output}</pre>
      ) : (
        <p className="text-xs text-slate-500">No output.</p>
      )}
      <ShowFull href={item.fullUrl} />
    </div>
  );
}

export function FilesItem({ item }: { item: Item<'files'> }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
      <p className="mb-1 text-xs font-semibold text-slate-500">
        {item.files.length === 1 ? 'Changed a file' : `Changed ${item.files.length} files`}
      </p>
      <ul aria-label="Files changed" className="space-y-0.5">
        {item.files.map((f, i) => (
          // The same path can be written twice in one burst.
          // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own
          <li key={i} className="flex gap-2 font-mono text-xs">
            <span className={f.action === 'delete' ? 'text-red-700' : 'text-emerald-700'}>
              {f.action === 'delete' ? 'deleted' : 'wrote'}
            </span>
            <span className="text-slate-800">{f.path}</span>
            {f.bytes !== undefined && <span className="text-slate-400">{formatBytes(f.bytes)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

const SETUP_OUTCOMES: Record<Item<'setup'>['outcome'], string> = {
  restored: 'Setup restored from the cache',
  ran: 'Setup ran',
  failed: 'Setup failed',
};

/** How `.orchard/agent.yml`'s setup went before the agent started (its commands show above it). */
export function SetupItem({ item }: { item: Item<'setup'> }) {
  const commands = item.commands === 1 ? '1 command' : `${item.commands} commands`;
  return (
    <p
      data-outcome={item.outcome}
      className={`flex flex-wrap items-center gap-x-1.5 px-1 text-sm ${item.outcome === 'failed' ? 'text-red-700' : 'text-slate-600'}`}
    >
      <span className="font-medium">{SETUP_OUTCOMES[item.outcome]}</span>
      <span>({commands}</span>
      {item.durationMs !== null && <span>· {formatDuration(item.durationMs)}</span>}
      <span>
        · key <code className="font-mono text-xs">{item.setupKey}</code>)
      </span>
      {item.outcome === 'ran' && item.cached !== null && (
        <span>{item.cached ? '· cached for the next run' : '· not cached'}</span>
      )}
    </p>
  );
}

export function ResultItem({ item }: { item: Item<'result'> }) {
  return (
    <div className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm">
      <p className="mb-1 text-xs font-semibold tracking-wide text-emerald-800 uppercase">Finished</p>
      <p className="whitespace-pre-wrap break-words text-emerald-950">{item.summary}</p>
    </div>
  );
}

export function DeliveredItem({ item, slug }: { item: Item<'delivered'>; slug: string }) {
  return (
    <p className="flex flex-wrap items-center gap-x-1.5 px-1 text-sm text-slate-600">
      <span>Committed</span>
      <Link to={to.commit(slug, item.sha)} className="font-mono text-xs text-emerald-800 hover:underline">
        {shortSha(item.sha)}
      </Link>
      {item.files !== null && <span>({item.files === 1 ? '1 file' : `${item.files} files`})</span>}
      {item.mergeRequestNumber !== null && (
        <>
          <span>· merge request</span>
          <Link
            to={to.mergeRequest(slug, item.mergeRequestNumber)}
            className="font-medium text-emerald-800 hover:underline"
          >
            !{item.mergeRequestNumber}
          </Link>
        </>
      )}
    </p>
  );
}

export function LogItem({ item }: { item: Item<'log'> }) {
  return <pre className={`${PRE} bg-transparent p-1 text-slate-500`}>{item.lines.join('\n')}</pre>;
}
