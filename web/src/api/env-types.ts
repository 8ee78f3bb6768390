/** The deploy API's answers (src/modules/deploy), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Environment = ItemOf<Answer<'/api/projects/{slug}/environments', 'get'>>;
export type EnvironmentStatus = Environment['status'];
export type Release = ItemOf<Answer<'/api/projects/{slug}/releases', 'get'>>;
export type AppLogLine = ItemOf<Answer<'/api/projects/{slug}/environments/{env}/logs', 'get'>>;
export type PublishResult = Answer<'/api/projects/{slug}/publish', 'post'>;
export type DeployAccepted = Answer<'/api/projects/{slug}/deploy', 'post', 202>;
export type CreatedShareLink = Answer<'/api/projects/{slug}/environments/{env}/share-links', 'post', 201>;
