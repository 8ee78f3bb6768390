/** The projects API's answers (src/modules/projects, secrets), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Project = Answer<'/api/projects/{slug}', 'get'>;
export type ProjectRole = Project['role'];
export type Member = ItemOf<Answer<'/api/projects/{slug}/members', 'get'>>;
export type Secret = ItemOf<Answer<'/api/projects/{slug}/secrets', 'get'>>;
/** A project as the list shows it: with its overview (last build, staging, production, open reviews). */
export type ProjectListItem = ItemOf<Answer<'/api/projects', 'get'>>;
export type ProjectOverview = Answer<'/api/projects/{slug}/overview', 'get'>;
export type BuildOverview = NonNullable<ProjectOverview['lastBuild']>;
export type EnvironmentOverview = NonNullable<ProjectOverview['staging']>;
