import { z } from 'zod';
import type { Db } from '../../../platform/db/pool.ts';
import {
  listProjects,
  type ProjectOverviews,
  requireProjectRole,
  toProjectView,
} from '../../projects/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { type BlueprintToolDeps, blueprintTools } from './blueprint-tools.ts';
import { type FileToolDeps, fileTools } from './file-tools.ts';
import { Cursor, Limit, Slug } from './tool-inputs.ts';

export type CoreToolDeps = FileToolDeps & BlueprintToolDeps;

/** core: the projects the caller can see, one project, its files and its Blueprint. */
export function coreTools(deps: { db: Db; overviews: ProjectOverviews } & CoreToolDeps) {
  return [
    defineTool({
      name: 'list_projects',
      set: 'core',
      title: 'List projects',
      description:
        'The projects you can see, with their last build, staging and production, and open reviews. Filter by words of their name with q.',
      input: z.object({
        q: z.string().max(100).optional().describe('Words of the name or slug'),
        archived: z.boolean().default(false).describe('List archived projects instead'),
        limit: Limit,
        cursor: Cursor,
      }),
      route: { method: 'GET', url: '/api/projects', config: { delegated: true } },
      run: (ctx, args) => listProjects(deps.db, deps.overviews, ctx.actor, { ...args, sort: 'created' }),
    }),
    defineTool({
      name: 'get_project',
      set: 'core',
      title: 'Get a project',
      description: 'One project: its name, description, settings and your role in it.',
      input: z.object({ slug: Slug }),
      route: { method: 'GET', url: '/api/projects/:slug' },
      slugOf: (args) => args.slug,
      run: async (ctx, args) => {
        const { project, role } = await requireProjectRole(deps.db, ctx.actor, args.slug, 'viewer');
        return toProjectView(project, role);
      },
    }),
    ...fileTools(deps),
    ...blueprintTools(deps),
  ];
}
