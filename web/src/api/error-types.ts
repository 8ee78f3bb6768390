/** The error-reporting API's answers (src/modules/observability/errors), from the generated openapi.gen.ts. */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

export type ErrorGroup = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/errors', 'get'>>;
export type ErrorGroupDetail = Answer<'/api/projects/{slug}/environments/{env}/errors/{id}', 'get'>;
export type ErrorOccurrence = ErrorGroupDetail['occurrences'][number];
export type ErrorStatus = ErrorGroup['status'];
export type BrowserErrorReport = RequestBody<'/api/errors/browser', 'post'>;
