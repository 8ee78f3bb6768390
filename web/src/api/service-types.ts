/** The platform services API's answers (src/modules/services), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type ProjectService = ItemOf<Answer<'/api/projects/{slug}/services', 'get'>>;
export type ServiceId = ProjectService['id'];
export type MailSummary = ItemOf<Answer<'/api/projects/{slug}/mailbox', 'get'>>;
export type MailMessage = Answer<'/api/projects/{slug}/mailbox/{id}', 'get'>;
export type AnalyticsStats = Answer<'/api/projects/{slug}/services/analytics/stats', 'get'>;
export type IntegrateStarted = Answer<'/api/projects/{slug}/services/{id}/integrate', 'post', 202>;
