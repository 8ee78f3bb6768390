/** The passkey API's answers (src/modules/identity/passkeys), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Passkey = ItemOf<Answer<'/api/passkeys', 'get'>>;
export type PasskeyPolicy = Answer<'/api/admin/passkey-policy', 'get'>;
