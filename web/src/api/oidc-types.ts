/** The single sign-on API's answers (src/modules/identity/oidc), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type OidcProvider = ItemOf<Answer<'/api/auth/oidc/providers', 'get'>>;
