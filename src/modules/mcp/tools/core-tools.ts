import { z } from 'zod';
import type { Db } from '../../../platform/db/pool.ts';
import {
  listProjects,
  type ProjectOverviews,
  requireProjectRole,
  toProjectView,
} from '../../projects/index.ts';
import { defineTool } from '../mcp-tool.ts';

const Slug = z.string().min(1).max(100).describe('The project\'s slug, as in its URL (e.g. "recipe-box")');

/** core: the projects the caller can see, one project. */
export function coreTools(deps: { db: Db; overviews: ProjectOverviews }) {
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
        limit: z.number().int().min(1).max(100).default(20),
        cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
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
  ];
}
