import { useState } from 'react';
import type { MailMessage } from '../../api/service-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { formatBytes, formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { StateFilter } from '../../widgets/state-filter.tsx';
import { useMailMessage } from './service-queries.ts';

/**
 * Nothing in a message may run or call out: the frame is sandboxed without scripts, forms or
 * same-origin access, and its own policy loads nothing but inline styles and data: images.
 */
const FRAME_POLICY =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">';

type View = 'html' | 'text';

/** One message: its envelope and headers, and its HTML (in a sandboxed frame) or its text. */
export function MailMessageView({ slug, id }: { slug: string; id: string }) {
  const message = useMailMessage(slug, id);
  if (message.isPending) return <Loading label="Loading the message…" />;
  if (message.isError) return <ErrorAlert error={message.error} />;
  return <MessageBody message={message.data} />;
}

function MessageBody({ message }: { message: MailMessage }) {
  const [view, setView] = useState<View>(message.html !== null ? 'html' : 'text');
  const options: Array<{ value: View; label: string }> = [
    ...(message.html !== null ? [{ value: 'html' as const, label: 'HTML' }] : []),
    { value: 'text', label: 'Text' },
  ];
  return (
    <Card
      title={message.subject || '(no subject)'}
      actions={
        options.length > 1 && <StateFilter label="Show" value={view} options={options} onChange={setView} />
      }
    >
      <dl className="mb-4 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">From</dt>
        <dd className="break-all text-slate-800">{message.headerFrom || message.from}</dd>
        <dt className="text-slate-500">To</dt>
        <dd className="break-all text-slate-800">{message.headerTo || message.to.join(', ')}</dd>
        <dt className="text-slate-500">Received</dt>
        <dd className="text-slate-800">
          {formatDateTime(message.receivedAt)} in <span className="font-medium">{message.environment}</span> ·{' '}
          {formatBytes(message.sizeBytes)}
        </dd>
        {message.relay !== 'kept' && (
          <>
            <dt className="text-slate-500">Sent on</dt>
            <dd>
              {message.relay === 'relayed' ? (
                <Badge tone="green">Relayed through Orchard’s SMTP server</Badge>
              ) : (
                <Badge tone="red">Relay failed: {message.relayError}</Badge>
              )}
            </dd>
          </>
        )}
      </dl>
      {view === 'html' && message.html !== null ? (
        <iframe
          title="The message as HTML"
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={`${FRAME_POLICY}${message.html}`}
          className="h-[32rem] w-full rounded border border-slate-200 bg-white"
        />
      ) : (
        <pre
          data-testid="mail-text"
          className="max-h-[32rem] overflow-auto rounded border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-800"
        >
          {message.text ?? '(no text part)'}
        </pre>
      )}
    </Card>
  );
}
