/** Principal kinds: service accounts and delegations (src/modules/identity), from the generated openapi.gen.ts. */
import type { User } from './identity-types.ts';
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

/** human, agent or service. */
export type PrincipalKind = User['kind'];

export type Delegation = ItemOf<Answer<'/api/delegations', 'get'>>;
export type DelegationStatus = Delegation['status'];
export type RevokedDelegations = Answer<'/api/delegations', 'delete'>;

export type ServiceAccount = ItemOf<Answer<'/api/admin/service-accounts', 'get'>>;
export type CreateServiceAccountBody = RequestBody<'/api/admin/service-accounts', 'post'>;
export type ServiceAccountToken = ItemOf<Answer<'/api/admin/service-accounts/{id}/tokens', 'get'>>;
export type IssuedServiceToken = Answer<'/api/admin/service-accounts/{id}/tokens', 'post', 201>;
export type IssueTokenBody = RequestBody<'/api/admin/service-accounts/{id}/tokens', 'post'>;
