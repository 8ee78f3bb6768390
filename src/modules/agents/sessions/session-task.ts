import { emptyBlueprint } from '../../blueprint/index.ts';
import type { ProjectRow } from '../../projects/index.ts';
import type { AgentTask } from '../agent-runtime.ts';
import type { SessionRow } from './session-store.ts';

/** The task a session's runtime gets: its instructions, with the Blueprint and spec it was started with. */
export function sessionTask(session: SessionRow, project: ProjectRow): AgentTask {
  const context = session.context ?? {};
  return {
    title: session.title,
    spec: context.spec ?? '',
    instructions: session.instructions,
    blueprint: context.blueprint ?? emptyBlueprint(project.name),
    template: context.template ?? 'crud-app',
    ...(session.model ? { model: session.model } : {}),
    budget: session.budget,
  };
}
