import { z } from 'zod';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { requireProjectRole } from './access.ts';
import { AGENTS_CANNOT_ADMINISTER } from './agent-refusal.ts';
import { setProjectArchived } from './archive-project.ts';
import { createProject } from './create-project.ts';
import { getProjectOverview } from './get-project-overview.ts';
import { listMembers } from './list-members.ts';
import { listProjects } from './list-projects.ts';
import type { ProjectOverviews } from './project-overviews.ts';
import { removeMember } from './remove-member.ts';
import {
  CreateProjectBody,
  ListProjectsQuery,
  MemberParams,
  MemberView,
  ProjectListItem,
  ProjectOverview,
  ProjectView,
  SetMemberBody,
  SlugParam,
  UpdateProjectBody,
} from './schemas.ts';
import { setMember } from './set-member.ts';
import { updateProject } from './update-project.ts';
import { toProjectView } from './views.ts';

const tags = ['projects'];
const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `overviews` answers what a project shows beyond its own row (app.ts wires the Studio's). */
export function projectRoutes(res: Resources, { overviews }: { overviews: ProjectOverviews }) {
  const { db } = res;
  return async (app: HttpApp) => {
    app.post(
      '/api/projects',
      { schema: { tags, body: CreateProjectBody, response: { 201: ProjectView } } },
      async (request, reply) => {
        const project = await createProject(db, contextOf(request), request.body);
        return reply.status(201).send(toProjectView(project, 'owner'));
      },
    );

    app.get(
      '/api/projects',
      {
        config: { delegated: true },
        schema: { tags, querystring: ListProjectsQuery, response: { 200: Page(ProjectListItem) } },
      },
      async (request) => listProjects(db, overviews, contextOf(request).actor, request.query),
    );

    app.get(
      '/api/projects/:slug',
      { schema: { tags, params: SlugParam, response: { 200: ProjectView } } },
      async (request) => {
        const { project, role } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'viewer',
        );
        return toProjectView(project, role);
      },
    );

    app.get(
      '/api/projects/:slug/overview',
      { schema: { tags, params: SlugParam, response: { 200: ProjectOverview } } },
      async (request) => getProjectOverview(db, overviews, contextOf(request).actor, request.params.slug),
    );

    app.patch(
      '/api/projects/:slug',
      {
        config: { projectRole: 'maintainer', delegated: AGENTS_CANNOT_ADMINISTER },
        schema: { tags, params: SlugParam, body: UpdateProjectBody, response: { 200: ProjectView } },
      },
      async (request) => {
        const ctx = contextOf(request);
        const row = await updateProject(db, ctx, request.params.slug, request.body);
        return toProjectView(row, (await requireProjectRole(db, ctx.actor, row.slug, 'viewer')).role);
      },
    );

    for (const [verb, archived] of [
      ['archive', true],
      ['unarchive', false],
    ] as const) {
      app.post(
        `/api/projects/:slug/${verb}`,
        {
          config: { projectRole: 'owner', delegated: AGENTS_CANNOT_ADMINISTER },
          schema: { tags, params: SlugParam, response: { 200: ProjectView } },
        },
        async (request) =>
          toProjectView(
            await setProjectArchived(db, contextOf(request), request.params.slug, archived),
            'owner',
          ),
      );
    }

    app.get(
      '/api/projects/:slug/members',
      { schema: { tags, params: SlugParam, response: { 200: Page(MemberView) } } },
      async (request) => listMembers(db, contextOf(request).actor, request.params.slug),
    );

    app.put(
      '/api/projects/:slug/members/:username',
      {
        config: { projectRole: 'owner', delegated: AGENTS_CANNOT_ADMINISTER },
        schema: { tags, params: MemberParams, body: SetMemberBody },
      },
      async (request) =>
        setMember(db, contextOf(request), request.params.slug, request.params.username, request.body.role),
    );

    app.delete(
      '/api/projects/:slug/members/:username',
      {
        config: { projectRole: 'owner', delegated: AGENTS_CANNOT_ADMINISTER },
        schema: { tags, params: MemberParams },
      },
      async (request, reply) => {
        await removeMember(db, contextOf(request), request.params.slug, request.params.username);
        return reply.status(204).send();
      },
    );
  };
}
