import type { PageProps } from '../app/page-props.ts';
import { ConversationList } from '../features/conversations/conversation-list.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

/** `/projects/:slug/conversations`: the project's conversations (its Studio chats among them), searchable. */
export function ProjectConversationsPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="conversations">
      {(project) => (
        <>
          <PageHeader
            title="Conversations"
            documentTitle={`Conversations · ${project.name}`}
            description="Chats with the Architect about this project's Blueprints, and other conversations kept here."
          />
          <ConversationList project={project.slug} />
        </>
      )}
    </ProjectFrame>
  );
}
