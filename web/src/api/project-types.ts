/** The projects API's answers (src/modules/projects, secrets), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Project = Answer<'/api/projects/{slug}', 'get'>;
export type ProjectRole = Project['role'];
export type Member = ItemOf<Answer<'/api/projects/{slug}/members', 'get'>>;
export type Secret = ItemOf<Answer<'/api/projects/{slug}/secrets', 'get'>>;
