import { ConversationList } from '../features/conversations/conversation-list.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

/** `/conversations`: every conversation you may read (your own, and your projects'), searchable. */
export function ConversationsPage() {
  return (
    <>
      <PageHeader
        title="Conversations"
        description="Your chats with the Architect and other conversations, in every project you can read. Search what was said; open one to read it whole or export it."
      />
      <ConversationList />
    </>
  );
}
