import type { PageProps } from '../app/page-props.ts';
import { ConversationMessageItem } from '../features/conversations/conversation-message.tsx';
import { useConversation } from '../features/conversations/conversation-queries.ts';
import { ExportButtons } from '../features/conversations/export-buttons.tsx';
import { to } from '../features/projects/project-paths.ts';
import { Breadcrumbs } from '../widgets/breadcrumbs.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';
import { Unavailable } from '../widgets/unavailable.tsx';

/** `/conversations/:id`: one conversation whole, who answered each reply, and its exports. */
export function ConversationPage({ params }: PageProps) {
  const id = params.id ?? '';
  const conversation = useConversation(id);
  if (conversation.isPending) return <Loading label="Loading the conversation…" />;
  if (conversation.isError)
    return (
      <Unavailable
        error={conversation.error}
        titles={{
          notFound: 'Conversation not found',
          forbidden: 'No access to this conversation',
          other: 'Could not open the conversation',
        }}
        documentTitle="Conversation"
        back={{ to: '/conversations', label: 'Back to the conversations' }}
      />
    );
  const c = conversation.data;
  const project = c.project;
  return (
    <>
      <Breadcrumbs
        className="mb-2"
        items={[
          ...(project
            ? [
                { label: 'Projects', to: '/projects' },
                { label: project.name, to: to.project(project.slug) },
                { label: 'Conversations', to: `${to.project(project.slug)}/conversations` },
              ]
            : [{ label: 'Conversations', to: '/conversations' }]),
          { label: c.title || 'Untitled conversation' },
        ]}
      />
      <PageHeader
        title={c.title || 'Untitled conversation'}
        documentTitle={`${c.title || 'Conversation'} · Conversations`}
        meta={
          <>
            <span>
              {c.messageCount} message{c.messageCount === 1 ? '' : 's'}
            </span>
            <span>·</span>
            <TimeAgo iso={c.updatedAt} prefix="updated" />
          </>
        }
        actions={<ExportButtons id={c.id} />}
      />
      {c.messages.length === 0 ? (
        <p className="text-sm text-slate-500">No messages yet.</p>
      ) : (
        <ol aria-label="Messages" className="max-w-4xl space-y-3">
          {c.messages.map((m) => (
            <ConversationMessageItem key={m.id} message={m} projectSlug={project?.slug ?? null} />
          ))}
        </ol>
      )}
    </>
  );
}
