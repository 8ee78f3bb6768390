import { Fragment } from 'react';
import type { StreamState } from '../operations/live-events.ts';
import type { Transcript, TranscriptItem } from './agent-transcript.ts';
import {
  CommandItem,
  DeliveredItem,
  FilesItem,
  LogItem,
  MessageItem,
  ResultItem,
  SetupItem,
  ToolItem,
} from './agent-transcript-items.tsx';

function ItemView({ item, slug }: { item: TranscriptItem; slug: string }) {
  switch (item.type) {
    case 'message':
      return <MessageItem item={item} />;
    case 'tool':
      return <ToolItem item={item} />;
    case 'command':
      return <CommandItem item={item} />;
    case 'files':
      return <FilesItem item={item} />;
    case 'result':
      return <ResultItem item={item} />;
    case 'setup':
      return <SetupItem item={item} />;
    case 'delivered':
      return <DeliveredItem item={item} slug={slug} />;
    case 'log':
      return <LogItem item={item} />;
  }
}

/** The conversation, run by run; `working` adds a quiet "the agent is working" line at the end. */
export function TranscriptView({
  transcript,
  slug,
  working,
  stream,
}: {
  transcript: Transcript;
  slug: string;
  working: boolean;
  stream: StreamState;
}) {
  const { items } = transcript;
  if (!items.length) {
    return (
      <p className="py-6 text-center text-sm text-slate-500">
        {stream === 'failed'
          ? 'The transcript could not be loaded. Reload the page to try again.'
          : 'Nothing recorded yet.'}
      </p>
    );
  }
  return (
    <ol aria-label="Transcript" className="space-y-3">
      {items.map((item, i) => (
        <Fragment key={item.key}>
          {i > 0 && item.run !== items[i - 1]!.run && (
            <li
              aria-label={`Run ${item.run}`}
              className="flex items-center gap-3 pt-2 text-xs text-slate-500"
            >
              <span className="h-px flex-1 bg-slate-200" />
              Run {item.run}
              <span className="h-px flex-1 bg-slate-200" />
            </li>
          )}
          <li data-kind={item.type}>
            <ItemView item={item} slug={slug} />
          </li>
        </Fragment>
      ))}
      {working && (
        <li className="flex items-center gap-2 px-1 text-sm text-slate-500" data-testid="agent-working">
          <span className="size-2 animate-pulse rounded-full bg-sky-500" aria-hidden="true" />
          The agent is working…
        </li>
      )}
    </ol>
  );
}
