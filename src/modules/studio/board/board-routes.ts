import { z } from 'zod';
import { int4 } from '../../../platform/http/int-params.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { StudioRouteDeps } from '../deps.ts';
import {
  getIssueClassification,
  overrideIssueClassification,
  reclassifyIssue,
} from '../sdlc/issue-classification.ts';
import { Classification } from '../sdlc/sdlc-kinds.ts';
import {
  BoardCard,
  BoardParams,
  BoardQuery,
  BoardStats,
  BoardView,
  ClassificationBody,
  EditFeatureBody,
  FeatureParams,
  MoveBody,
} from './board-schemas.ts';
import { editFeature } from './edit-feature.ts';
import { featureCard } from './feature-cards.ts';
import { getBoard } from './get-board.ts';
import { getBoardStats } from './get-board-stats.ts';
import { moveFeature } from './move-feature.ts';
import { reclassifyFeature } from './reclassify-feature.ts';

const tags = ['studio'];
const IssueParams = z.object({ slug: z.string().min(1).max(100), number: int4(1) });
const IssueClassificationView = z.object({
  number: z.number(),
  /** Null until the issue was classified. */
  classification: Classification.nullable(),
  /** The operation asking the LLM, when one serves the fast alias (its answer replaces the rules'). */
  operationId: z.string().nullable(),
});

/** The feature board of a project (its features by SDLC phase) and the classification of requests. */
export function registerBoardRoutes(app: HttpApp, res: StudioRouteDeps) {
  const { db } = res;

  app.get(
    '/api/projects/:slug/board',
    {
      schema: {
        tags,
        description:
          "The project's features on a board: a column per SDLC phase, a lane for the blocked (failed, or waiting for a feature not done); each card with its kind, assignee, branch and merge request, cost and the moves allowed by hand. Filter by `assignee` (a username, `agent:<runtime>`, `none`), `assigneeKind` (human, agent) and `kind`. Live: follow `/api/projects/:slug/activity`.",
        params: BoardParams,
        querystring: BoardQuery,
        response: { 200: BoardView },
      },
    },
    async (request) => getBoard(db, contextOf(request).actor, request.params.slug, request.query),
  );

  app.get(
    '/api/projects/:slug/board/stats',
    {
      schema: {
        tags,
        description:
          "The board's figures (same filters): lead time per phase from the features' transition histories, failure rate per step of their builds, and what each feature's LLM calls cost.",
        params: BoardParams,
        querystring: BoardQuery,
        response: { 200: BoardStats },
      },
    },
    async (request) => getBoardStats(db, contextOf(request).actor, request.params.slug, request.query),
  );

  app.post(
    '/api/projects/:slug/features/:id/moves',
    {
      schema: {
        tags,
        description:
          'Moves a feature by hand to another phase. The SDLC state machine decides: an illegal move is refused (409 `illegal_transition`, naming the moves allowed); a feature whose build is running is moved by its build only (409). Recorded in its history and audited.',
        params: FeatureParams,
        body: MoveBody,
        response: { 200: BoardCard },
      },
    },
    async (request) => {
      const moved = await moveFeature(
        res,
        contextOf(request),
        request.params.slug,
        request.params.id,
        request.body,
      );
      return featureCard(db, moved.project_id, moved);
    },
  );

  app.patch(
    '/api/projects/:slug/features/:id',
    {
      schema: {
        tags,
        description:
          'Assigns a feature (a username, `agent:<runtime>`, or null) and sets the features it waits for (`dependsOn`; a cycle is refused with 422 `dependency_cycle`). Audited.',
        params: FeatureParams,
        body: EditFeatureBody,
        response: { 200: BoardCard },
      },
    },
    async (request) => {
      const row = await editFeature(
        res,
        contextOf(request),
        request.params.slug,
        request.params.id,
        request.body,
      );
      return featureCard(db, row.project_id, row);
    },
  );

  app.put(
    '/api/projects/:slug/features/:id/classification',
    {
      schema: {
        tags,
        description:
          "A person's choice of kind (feature, change, bugfix, chore) overrides the classifier: the feature walks that kind's phases from where it is. Audited.",
        params: FeatureParams,
        body: ClassificationBody,
        response: { 200: BoardCard },
      },
    },
    async (request) => {
      const row = await reclassifyFeature(
        res,
        contextOf(request),
        request.params.slug,
        request.params.id,
        request.body,
      );
      return featureCard(db, row.project_id, row);
    },
  );

  app.get(
    '/api/projects/:slug/issues/:number/classification',
    {
      schema: {
        tags: ['studio', 'issues'],
        description:
          'What kind of work the issue asks for (new feature, change, bug fix, chore), how sure the classifier is and why; null until classified.',
        params: IssueParams,
        response: { 200: IssueClassificationView },
      },
    },
    async (request) =>
      getIssueClassification(db, contextOf(request).actor, request.params.slug, request.params.number),
  );

  app.post(
    '/api/projects/:slug/issues/:number/classification',
    {
      schema: {
        tags: ['studio', 'issues'],
        description:
          "Classifies the issue again now, replacing a person's choice: the rules at once, and the LLM (an operation) when one serves the fast alias. Audited.",
        params: IssueParams,
        response: { 200: IssueClassificationView },
      },
    },
    async (request) => reclassifyIssue(res, contextOf(request), request.params.slug, request.params.number),
  );

  app.put(
    '/api/projects/:slug/issues/:number/classification',
    {
      schema: {
        tags: ['studio', 'issues'],
        description: "A person's choice of kind overrides the classifier's. Audited.",
        params: IssueParams,
        body: ClassificationBody,
        response: { 200: IssueClassificationView },
      },
    },
    async (request) =>
      overrideIssueClassification(
        res,
        contextOf(request),
        request.params.slug,
        request.params.number,
        request.body,
      ),
  );
}
