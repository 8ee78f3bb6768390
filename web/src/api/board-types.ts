/** The feature board's answers (src/modules/studio/board), from the generated openapi.gen.ts. */
import type { Answer, QueryOf, RequestBody } from './openapi-answer.ts';

export type Board = Answer<'/api/projects/{slug}/board', 'get'>;
/** A feature on the board: its phase and lane, kind and classification, assignee, cost, allowed moves. */
export type BoardCard = Board['cards'][number];
export type BoardAssignee = Board['assignees'][number];
export type BoardStats = Answer<'/api/projects/{slug}/board/stats', 'get'>;
export type BoardFilters = QueryOf<'/api/projects/{slug}/board', 'get'>;
export type FeaturePhase = BoardCard['phase'];
export type SdlcKind = BoardCard['kind'];
export type Classification = NonNullable<BoardCard['classification']>;
export type MoveBody = RequestBody<'/api/projects/{slug}/features/{id}/moves', 'post'>;
export type EditFeatureBody = RequestBody<'/api/projects/{slug}/features/{id}', 'patch'>;
export type IssueClassification = Answer<'/api/projects/{slug}/issues/{number}/classification', 'get'>;
