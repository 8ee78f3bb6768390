import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import {
  BoardQuery,
  ClassificationBody,
  featureCard,
  getBoard,
  getBoardStats,
  MoveBody,
  moveFeature,
  overrideIssueClassification,
  reclassifyFeature,
} from '../../studio/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Slug } from './tool-inputs.ts';

export type BoardToolDeps = { db: Db; clock: Clock };

const FeatureId = z.uuid('must be a feature id (uuid)').describe("The feature's id (get_board shows it)");
const KIND_OVERRIDE =
  "A person's choice of kind (feature, change, bugfix, chore) overrides the classifier's; what the classifier said is kept beside it, and the override is audited (developers and up).";

/**
 * core: a project's feature board — read it and its figures, move a feature by hand, override a
 * feature's kind; issues: override an issue's kind.
 */
export function boardTools(res: BoardToolDeps) {
  return [
    defineTool({
      name: 'get_board',
      set: 'core',
      title: 'Get the feature board',
      description:
        "A project's features by SDLC phase (spec, plan, implement, test, deploy, verify, done) and the blocked lane: each with its kind (new feature, change, bug fix, chore), assignee, branch, merge request, cost and the moves allowed by hand. Filter by assignee (a username, agent:<runtime> or none), assigneeKind (human, agent) and kind.",
      input: BoardQuery.extend({ slug: Slug }),
      route: { method: 'GET', url: '/api/projects/:slug/board' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...query }) => getBoard(res.db, ctx.actor, slug, query),
    }),
    defineTool({
      name: 'get_board_stats',
      set: 'core',
      title: 'Get the board’s figures',
      description:
        "The feature board's figures (same filters as get_board): lead time per phase, failure rate per build step, and what each feature's LLM calls cost.",
      input: BoardQuery.extend({ slug: Slug }),
      route: { method: 'GET', url: '/api/projects/:slug/board/stats' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...query }) => getBoardStats(res.db, ctx.actor, slug, query),
    }),
    defineTool({
      name: 'move_feature',
      set: 'core',
      title: 'Move a feature',
      description:
        "Moves a feature to another phase by hand (developers and up). The SDLC state machine decides: an illegal move is refused naming the moves allowed, and a feature whose build is running is moved by its build only. Recorded in the feature's history and audited.",
      input: MoveBody.extend({
        slug: Slug,
        id: z.uuid('must be a feature id (uuid)').describe("The feature's id (get_board shows it)"),
      }),
      route: { method: 'POST', url: '/api/projects/:slug/features/:id/moves' },
      slugOf: (args) => args.slug,
      run: async (ctx, { slug, id, ...body }) => {
        const moved = await moveFeature(res, ctx, slug, id, body);
        return featureCard(res.db, moved.project_id, moved);
      },
    }),
    defineTool({
      name: 'classify_feature',
      set: 'core',
      title: 'Set a feature’s kind',
      description: `${KIND_OVERRIDE} The kind decides the phases the feature walks from now on (a bug fix skips spec and plan); its current phase stays.`,
      input: ClassificationBody.extend({ slug: Slug, id: FeatureId }),
      route: { method: 'PUT', url: '/api/projects/:slug/features/:id/classification' },
      slugOf: (args) => args.slug,
      run: async (ctx, { slug, id, ...body }) => {
        const updated = await reclassifyFeature(res, ctx, slug, id, body);
        return featureCard(res.db, updated.project_id, updated);
      },
    }),
    defineTool({
      name: 'classify_issue',
      set: 'issues',
      title: 'Set an issue’s kind',
      description: `${KIND_OVERRIDE} Later edits of the issue no longer re-classify it.`,
      input: ClassificationBody.extend({
        slug: Slug,
        number: z.number().int().min(1).max(2_147_483_647).describe("The issue's number"),
      }),
      route: { method: 'PUT', url: '/api/projects/:slug/issues/:number/classification' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, number, ...body }) => overrideIssueClassification(res, ctx, slug, number, body),
    }),
  ];
}
