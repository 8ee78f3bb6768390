/** The identity API's answers (src/modules/identity), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Me = Answer<'/api/auth/me', 'get'>;
export type User = Me['user'];
export type Scope = Me['scopes'][number];
export type SetupStatus = Answer<'/api/setup', 'get'>;
export type ApiToken = ItemOf<Answer<'/api/tokens', 'get'>>;
export type CreatedToken = Answer<'/api/tokens', 'post', 201>;

/** `POST /api/auth/login` (200) and `POST /api/setup/admin` (201): the user and the CSRF token. */
export type SessionStart = Answer<'/api/auth/login', 'post'>;
