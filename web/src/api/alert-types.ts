/** The alert rules API's answers (src/modules/observability/alerts), from the generated openapi.gen.ts. */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

export type AlertRule = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/alerts', 'get'>>;
export type AlertKind = AlertRule['kind'];
export type AlertState = AlertRule['state'];
export type AlertRuleBody = RequestBody<'/api/projects/{slug}/environments/{env}/alerts', 'post'>;
export type AlertEvent = ItemOf<Answer<'/api/projects/{slug}/alerts/{id}/events', 'get'>>;
